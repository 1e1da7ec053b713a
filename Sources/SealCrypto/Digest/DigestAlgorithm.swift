public import SwiftASN1

/// A hash function: SM3 (GB/T 32905), SHA-2, and SHA-1 for verifying old signatures only.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case sm3
    /// Accepted when verifying existing signatures; never used to create new ones.
    case sha1
    case sha256
    case sha384
    case sha512

    /// The algorithm's object identifier (SM3 is 1.2.156.10197.1.401).
    public var oid: ASN1ObjectIdentifier {
        switch self {
        case .sm3: return [1, 2, 156, 10197, 1, 401]
        case .sha1: return [1, 3, 14, 3, 2, 26]
        case .sha256: return [2, 16, 840, 1, 101, 3, 4, 2, 1]
        case .sha384: return [2, 16, 840, 1, 101, 3, 4, 2, 2]
        case .sha512: return [2, 16, 840, 1, 101, 3, 4, 2, 3]
        }
    }

    /// The algorithm for an object identifier, or nil when unknown.
    public init?(oid: ASN1ObjectIdentifier) {
        guard let match = Self.allCases.first(where: { $0.oid == oid }) else { return nil }
        self = match
    }

    /// Output length in bytes.
    public var outputByteCount: Int {
        switch self {
        case .sm3, .sha256: return 32
        case .sha1: return 20
        case .sha384: return 48
        case .sha512: return 64
        }
    }

    /// The name OpenSSL's providers use (`EVP_MD_fetch`).
    var openSSLName: String {
        switch self {
        case .sm3: return "SM3"
        case .sha1: return "SHA1"
        case .sha256: return "SHA256"
        case .sha384: return "SHA384"
        case .sha512: return "SHA512"
        }
    }

    /// Display name ("SM3", "SHA-256").
    public var description: String {
        switch self {
        case .sm3: return "SM3"
        case .sha1: return "SHA-1"
        case .sha256: return "SHA-256"
        case .sha384: return "SHA-384"
        case .sha512: return "SHA-512"
        }
    }
}
