import Foundation

/// The outcome of validating a certificate chain at a given time: a value, never a throw.
public struct ChainValidation: Sendable, Hashable, CustomStringConvertible {
    /// Why a chain is not acceptable.
    public enum Failure: Sendable, Hashable, CustomStringConvertible {
        /// No path leads to a trusted root.
        case untrusted(subject: String)
        /// A certificate's validity ended before the validation time.
        case expired(subject: String, notAfter: Date)
        /// A certificate's validity starts after the validation time.
        case notYetValid(subject: String, notBefore: Date)
        /// An issuer's name matches but its key does not verify the certificate's signature.
        case badSignature(subject: String)
        /// A CRL from the issuer lists the certificate as revoked at or before the validation time.
        case revoked(subject: String, revocationDate: Date)
        /// An issuing certificate is not a CA (basicConstraints) or lacks keyCertSign.
        case issuerNotCA(subject: String)
        /// The path is longer than an issuer's pathLenConstraint allows.
        case pathTooLong(subject: String)
        /// A certificate carries a critical extension SealCrypto does not understand.
        case unhandledCriticalExtension(subject: String, oid: String)
        /// A CRL that names the issuer fails its signature check and was ignored.
        case crlSignatureInvalid(issuer: String)

        public var description: String {
            switch self {
            case .untrusted(let s): return "no path from \(s) to a trusted root"
            case .expired(let s, let d): return "\(s) expired at \(d)"
            case .notYetValid(let s, let d): return "\(s) is not valid before \(d)"
            case .badSignature(let s): return "the signature on \(s) does not verify with its issuer's key"
            case .revoked(let s, let d): return "\(s) was revoked at \(d)"
            case .issuerNotCA(let s): return "\(s) issues certificates but is not a CA"
            case .pathTooLong(let s): return "the path exceeds the path length allowed by \(s)"
            case .unhandledCriticalExtension(let s, let oid): return "\(s) has an unknown critical extension \(oid)"
            case .crlSignatureInvalid(let i): return "a CRL claiming issuer \(i) has a bad signature"
            }
        }
    }

    /// The chain that was evaluated, leaf first, ending at the trust anchor when one was reached.
    public let chain: [Certificate]
    /// Everything that is wrong; empty means valid.
    public let failures: [Failure]
    /// The time the chain was validated at.
    public let validationTime: Date

    /// True when no failure was found.
    public var isValid: Bool { failures.isEmpty }
    /// The trust anchor reached, if any.
    public var trustAnchor: Certificate? { isTrusted ? chain.last : nil }
    /// True when a path to a trusted root was found (other failures may remain).
    public var isTrusted: Bool { !failures.contains { if case .untrusted = $0 { return true } else { return false } } }

    public var description: String {
        isValid ? "valid chain of \(chain.count) at \(validationTime)"
            : "invalid: " + failures.map(\.description).joined(separator: "; ")
    }
}
