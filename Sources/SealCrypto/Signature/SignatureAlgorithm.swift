public import SwiftASN1

/// A signature scheme: key type plus hash (plus padding for RSA).
public enum SignatureAlgorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// SM2 with SM3 (GM/T 0009 / GB/T 35276), with a distinguishing ID (default `1234567812345678`).
    case sm2WithSM3
    case ecdsaWithSHA256
    case ecdsaWithSHA384
    case ecdsaWithSHA512
    case rsaPKCS1SHA256
    case rsaPKCS1SHA384
    case rsaPKCS1SHA512
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    case rsaPSSSHA256
    /// Verification of existing signatures only.
    case rsaPKCS1SHA1
    /// Verification of existing signatures only.
    case ecdsaWithSHA1
    /// Ed25519 (RFC 8032; in CMS RFC 8419 with SHA-512 for messageDigest; in PDF ISO 32002). Verification only.
    case ed25519

    /// The algorithm's identifier as used in certificates and CMS (RSA-PSS needs parameters too, see
    /// ``algorithmIdentifierDER``).
    public var oid: ASN1ObjectIdentifier {
        switch self {
        case .sm2WithSM3: return [1, 2, 156, 10197, 1, 501]
        case .ecdsaWithSHA256: return [1, 2, 840, 10045, 4, 3, 2]
        case .ecdsaWithSHA384: return [1, 2, 840, 10045, 4, 3, 3]
        case .ecdsaWithSHA512: return [1, 2, 840, 10045, 4, 3, 4]
        case .rsaPKCS1SHA256: return [1, 2, 840, 113549, 1, 1, 11]
        case .rsaPKCS1SHA384: return [1, 2, 840, 113549, 1, 1, 12]
        case .rsaPKCS1SHA512: return [1, 2, 840, 113549, 1, 1, 13]
        case .rsaPSSSHA256: return [1, 2, 840, 113549, 1, 1, 10]
        case .rsaPKCS1SHA1: return [1, 2, 840, 113549, 1, 1, 5]
        case .ecdsaWithSHA1: return [1, 2, 840, 10045, 4, 1]
        case .ed25519: return [1, 3, 101, 112]
        }
    }

    /// The algorithm for a signature-algorithm identifier, or nil when unknown.
    ///
    /// RSA-PSS maps to ``rsaPSSSHA256`` (parameters are checked where the full AlgorithmIdentifier is known).
    public init?(oid: ASN1ObjectIdentifier) {
        guard let match = Self.allCases.first(where: { $0.oid == oid }) else { return nil }
        self = match
    }

    /// The algorithm for a CMS SignerInfo, which may name only the key type (`rsaEncryption`,
    /// `id-ecPublicKey`, SM2 `1.2.156.10197.1.301.1`) and leave the hash to `digestAlgorithm`.
    public init?(oid: ASN1ObjectIdentifier, digest: DigestAlgorithm) {
        if let direct = SignatureAlgorithm(oid: oid) {
            self = direct
            return
        }
        switch (oid, digest) {
        case (OIDs.rsaEncryption, .sha256): self = .rsaPKCS1SHA256
        case (OIDs.rsaEncryption, .sha384): self = .rsaPKCS1SHA384
        case (OIDs.rsaEncryption, .sha512): self = .rsaPKCS1SHA512
        case (OIDs.rsaEncryption, .sha1): self = .rsaPKCS1SHA1
        case (OIDs.ecPublicKey, .sha256): self = .ecdsaWithSHA256
        case (OIDs.ecPublicKey, .sha384): self = .ecdsaWithSHA384
        case (OIDs.ecPublicKey, .sha512): self = .ecdsaWithSHA512
        case (OIDs.ecPublicKey, .sha1): self = .ecdsaWithSHA1
        case (OIDs.sm2Sign, .sm3), (OIDs.sm2Curve, .sm3), (OIDs.ecPublicKey, .sm3): self = .sm2WithSM3
        default: return nil
        }
    }

    /// The hash the scheme uses.
    public var digest: DigestAlgorithm {
        switch self {
        case .sm2WithSM3: return .sm3
        case .ecdsaWithSHA256, .rsaPKCS1SHA256, .rsaPSSSHA256: return .sha256
        case .ecdsaWithSHA384, .rsaPKCS1SHA384: return .sha384
        case .ecdsaWithSHA512, .rsaPKCS1SHA512: return .sha512
        case .rsaPKCS1SHA1, .ecdsaWithSHA1: return .sha1
        case .ed25519: return .sha512  // the CMS messageDigest (RFC 8419); the signature itself hashes internally
        }
    }

    /// True when SealCrypto will create signatures with this scheme (SHA-1 and Ed25519 ones are verify-only).
    public var isAllowedForSigning: Bool { digest != .sha1 && self != .ed25519 }

    /// Edwards-curve schemes sign the message itself (no separate digest step in OpenSSL).
    var signsWholeMessage: Bool { self == .ed25519 }

    /// True when `key` can produce or check signatures of this scheme.
    public func fits(_ key: KeyAlgorithm) -> Bool {
        switch self {
        case .sm2WithSM3: return key == .sm2
        case .ecdsaWithSHA256, .ecdsaWithSHA384, .ecdsaWithSHA512, .ecdsaWithSHA1: return key.isECDSA
        case .rsaPKCS1SHA256, .rsaPKCS1SHA384, .rsaPKCS1SHA512, .rsaPSSSHA256, .rsaPKCS1SHA1: return key.isRSA
        case .ed25519: return key == .other("ED25519")
        }
    }

    /// The DER AlgorithmIdentifier for certificates, CRLs and CMS: no parameters for ECDSA/SM2, NULL for
    /// RSA PKCS#1, and the RSASSA-PSS-params (SHA-256, MGF1-SHA-256, salt 32) for PSS.
    public var algorithmIdentifierDER: [UInt8] {
        var serializer = DER.Serializer()
        try! serializer.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(oid)
            switch self {
            case .rsaPKCS1SHA256, .rsaPKCS1SHA384, .rsaPKCS1SHA512, .rsaPKCS1SHA1:
                try coder.serialize(ASN1Null())
            case .rsaPSSSHA256:
                coder.serializeRawBytes(Self.pssSHA256Parameters)
            default:
                break
            }
        }
        return serializer.serializedBytes
    }

    /// RSASSA-PSS-params { hashAlgorithm [0] sha256, maskGenAlgorithm [1] mgf1(sha256), saltLength [2] 32 }.
    static let pssSHA256Parameters: [UInt8] = {
        var serializer = DER.Serializer()
        try! serializer.appendConstructedNode(identifier: .sequence) { params in
            try params.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { tagged in
                try tagged.appendConstructedNode(identifier: .sequence) { try $0.serialize(DigestAlgorithm.sha256.oid) }
            }
            try params.serialize(explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific) { tagged in
                try tagged.appendConstructedNode(identifier: .sequence) { mgf in
                    try mgf.serialize(OIDs.mgf1)
                    try mgf.appendConstructedNode(identifier: .sequence) { try $0.serialize(DigestAlgorithm.sha256.oid) }
                }
            }
            try params.serialize(explicitlyTaggedWithTagNumber: 2, tagClass: .contextSpecific) { tagged in
                try tagged.serialize(32)
            }
        }
        return serializer.serializedBytes
    }()

    public var description: String {
        switch self {
        case .sm2WithSM3: return "SM2-with-SM3"
        case .ecdsaWithSHA256: return "ECDSA-with-SHA256"
        case .ecdsaWithSHA384: return "ECDSA-with-SHA384"
        case .ecdsaWithSHA512: return "ECDSA-with-SHA512"
        case .rsaPKCS1SHA256: return "SHA256-with-RSA"
        case .rsaPKCS1SHA384: return "SHA384-with-RSA"
        case .rsaPKCS1SHA512: return "SHA512-with-RSA"
        case .rsaPSSSHA256: return "RSASSA-PSS-SHA256"
        case .rsaPKCS1SHA1: return "SHA1-with-RSA"
        case .ecdsaWithSHA1: return "ECDSA-with-SHA1"
        case .ed25519: return "Ed25519"
        }
    }
}
