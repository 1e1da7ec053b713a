/// The kind of an asymmetric key.
public enum KeyAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// SM2 (GB/T 32918) on the SM2 curve.
    case sm2
    /// ECDSA on NIST P-256.
    case ecdsaP256
    /// ECDSA on NIST P-384.
    case ecdsaP384
    /// ECDSA on NIST P-521.
    case ecdsaP521
    /// RSA with a modulus of `bits` bits.
    case rsa(bits: Int)
    /// A key type SealCrypto can carry in certificates but not sign or verify with.
    case other(String)

    public var description: String {
        switch self {
        case .sm2: return "SM2"
        case .ecdsaP256: return "ECDSA P-256"
        case .ecdsaP384: return "ECDSA P-384"
        case .ecdsaP521: return "ECDSA P-521"
        case .rsa(let bits): return "RSA-\(bits)"
        case .other(let name): return name
        }
    }

    /// True for ECDSA keys on any supported curve.
    public var isECDSA: Bool {
        switch self {
        case .ecdsaP256, .ecdsaP384, .ecdsaP521: return true
        default: return false
        }
    }

    /// True for RSA keys.
    public var isRSA: Bool {
        if case .rsa = self { return true }
        return false
    }

    /// The signature algorithm SealCrypto uses by default for this key type.
    public var defaultSignatureAlgorithm: SignatureAlgorithm? {
        switch self {
        case .sm2: return .sm2WithSM3
        case .ecdsaP256: return .ecdsaWithSHA256
        case .ecdsaP384: return .ecdsaWithSHA384
        case .ecdsaP521: return .ecdsaWithSHA512
        case .rsa: return .rsaPKCS1SHA256
        case .other: return nil
        }
    }
}
