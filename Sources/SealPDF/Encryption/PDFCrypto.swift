import SealCrypto

/// The primitives the standard security handler needs — MD5, SHA-2, RC4, AES-CBC — from SealCrypto, with its
/// errors as ``PDFError``s.
enum PDFCrypto {
    enum Digest { case md5, sha256, sha384, sha512 }

    /// The hash of the concatenated parts.
    ///
    /// - Throws: ``PDFError`` `.unsupportedEncryption` when this system's OpenSSL cannot compute it (MD5 under a
    ///   FIPS-only configuration).
    static func digest(_ kind: Digest, _ parts: [UInt8]...) throws(PDFError) -> [UInt8] {
        do {
            switch kind {
            case .md5: return try SealCrypto.Digest.md5(parts.flatMap { $0 })
            case .sha256: return try SealCrypto.Digest.hash(.sha256, parts: parts)
            case .sha384: return try SealCrypto.Digest.hash(.sha384, parts: parts)
            case .sha512: return try SealCrypto.Digest.hash(.sha512, parts: parts)
            }
        } catch {
            throw PDFError(.unsupportedEncryption, "this system's OpenSSL cannot compute the document's key hashes")
        }
    }

    static func rc4(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        RC4.apply(key: key, to: data)
    }

    /// AES-CBC with a 16-, 24- or 32-byte key and a 16-byte IV; `padding` selects PKCS #7. Nil when the key or
    /// data does not fit, or (decrypting) the padding is wrong.
    static func aesCBC(encrypt: Bool, key: [UInt8], iv: [UInt8], _ data: [UInt8], padding: Bool) -> [UInt8]? {
        let padding: AESCBC.Padding = padding ? .pkcs7 : .none
        return encrypt
            ? try? AESCBC.encrypt(data, key: key, iv: iv, padding: padding)
            : try? AESCBC.decrypt(data, key: key, iv: iv, padding: padding)
    }

    /// Fresh random bytes (AES IVs, file identifiers) from the system's secure generator.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
