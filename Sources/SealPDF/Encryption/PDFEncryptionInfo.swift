/// What a caller may need to know about an encrypted document (no key material).
public struct PDFEncryptionInfo: Hashable, Sendable {
    /// The cipher protecting strings and streams.
    public enum Cipher: String, Hashable, Sendable {
        case rc4 = "RC4"
        case aes128 = "AES-128"
        case aes256 = "AES-256"
        case none = "none"
    }

    /// `/V` of the encryption dictionary.
    public var version: Int
    /// `/R` of the Standard security handler.
    public var revision: Int
    /// Cipher used for streams.
    public var streamCipher: Cipher
    /// Cipher used for strings.
    public var stringCipher: Cipher
    /// File key length in bits.
    public var keyBits: Int
    /// `/P` permission flags (ISO 32000-1 Table 22; bit 1 = 1).
    public var permissions: Int32
    /// True when the owner password opened the document (permissions then do not restrict the caller).
    public var openedWithOwnerPassword: Bool

    /// Bit 4: modify the document other than by the operations of bits 6, 9 and 11.
    public var mayModify: Bool { permissions & (1 << 3) != 0 }
    /// Bit 6: add or modify annotations, fill in form fields.
    public var mayAnnotate: Bool { permissions & (1 << 5) != 0 }
    /// Bit 9: fill in existing form fields, including signature fields (R ≥ 3).
    public var mayFillForms: Bool { permissions & (1 << 8) != 0 || mayAnnotate }
}

extension PDFEncryptionInfo.Cipher {
    init(_ method: CryptMethod) {
        switch method {
        case .identity: self = .none
        case .rc4: self = .rc4
        case .aesV2: self = .aes128
        case .aesV3: self = .aes256
        }
    }
}
