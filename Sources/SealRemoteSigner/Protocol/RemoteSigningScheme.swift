public import SealCrypto

/// How a signature algorithm is named on the wire: the digest algorithm (`sha256`, `sha384`, `sha512`, `sm3`) and
/// the scheme (`rsa-pkcs1-v1_5`, `rsa-pss`, `ecdsa`, `sm2`). See Docs/remote-signing.md.
public struct RemoteSigningScheme: Sendable, Hashable, Codable {
    /// The digest algorithm's wire name.
    public var algorithm: String
    /// The signature scheme's wire name.
    public var scheme: String

    public init(algorithm: String, scheme: String) {
        self.algorithm = algorithm
        self.scheme = scheme
    }

    /// The wire names for a signature algorithm SealPress signs with (nil for verify-only ones).
    public init?(_ signatureAlgorithm: SignatureAlgorithm) {
        switch signatureAlgorithm {
        case .rsaPKCS1SHA256: self.init(algorithm: "sha256", scheme: "rsa-pkcs1-v1_5")
        case .rsaPKCS1SHA384: self.init(algorithm: "sha384", scheme: "rsa-pkcs1-v1_5")
        case .rsaPKCS1SHA512: self.init(algorithm: "sha512", scheme: "rsa-pkcs1-v1_5")
        case .rsaPSSSHA256: self.init(algorithm: "sha256", scheme: "rsa-pss")
        case .ecdsaWithSHA256: self.init(algorithm: "sha256", scheme: "ecdsa")
        case .ecdsaWithSHA384: self.init(algorithm: "sha384", scheme: "ecdsa")
        case .ecdsaWithSHA512: self.init(algorithm: "sha512", scheme: "ecdsa")
        case .sm2WithSM3: self.init(algorithm: "sm3", scheme: "sm2")
        case .rsaPKCS1SHA1, .ecdsaWithSHA1, .ed25519: return nil
        }
    }

    /// The signature algorithm these wire names stand for, or nil when unknown.
    public var signatureAlgorithm: SignatureAlgorithm? {
        SignatureAlgorithm.allCases.first { RemoteSigningScheme($0) == self }
    }
}
