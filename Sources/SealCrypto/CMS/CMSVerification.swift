import Foundation

/// The outcome of verifying a CMS SignedData: a value listing what holds and what failed.
public struct CMSVerification: Sendable {
    /// What is wrong with a signature.
    public enum Failure: Sendable, Hashable, CustomStringConvertible {
        /// The SignedData has no SignerInfo.
        case noSigner
        /// No embedded (or given) certificate matches the SignerInfo's identifier.
        case signerCertificateMissing
        /// The digest or signature algorithm is not supported.
        case unsupportedAlgorithm(String)
        /// messageDigest differs from the digest of the content.
        case digestMismatch
        /// The contentType attribute differs from eContentType.
        case contentTypeMismatch
        /// The signature does not verify with the signer certificate's key.
        case signatureInvalid
        /// The ESS signing-certificate attribute names another certificate.
        case signingCertificateMismatch
        /// The signer certificate's keyUsage allows neither digitalSignature nor nonRepudiation.
        case keyUsageNotPermitted
        /// The signature has no signed attributes and only a digest was given; the content itself is needed.
        case contentRequired
        /// The signer's certificate chain failed (see ``CMSVerification/chain``).
        case chain(ChainValidation.Failure)
        /// The signature time-stamp failed (see ``CMSVerification/timeStamp``).
        case timeStamp(String)

        public var description: String {
            switch self {
            case .noSigner: return "no SignerInfo"
            case .signerCertificateMissing: return "signer certificate not found"
            case .unsupportedAlgorithm(let what): return "unsupported algorithm \(what)"
            case .digestMismatch: return "messageDigest does not match the content"
            case .contentTypeMismatch: return "contentType attribute does not match eContentType"
            case .signatureInvalid: return "signature does not verify"
            case .signingCertificateMismatch: return "signingCertificate attribute names another certificate"
            case .keyUsageNotPermitted: return "signer certificate key usage does not allow signatures"
            case .contentRequired: return "signature without signed attributes: the content is needed"
            case .chain(let failure): return "certificate chain: \(failure)"
            case .timeStamp(let reason): return "time-stamp: \(reason)"
            }
        }
    }

    public let signerCertificate: Certificate?
    public let digestAlgorithm: DigestAlgorithm?
    public let signatureAlgorithm: SignatureAlgorithm?
    /// messageDigest matches the content (true when there are no signed attributes and the signature verified).
    public let isDigestValid: Bool
    public let isSignatureValid: Bool
    /// The signer's claimed signingTime.
    public let signingTime: Date?
    /// The signature time-stamp, when present.
    public let timeStamp: TimeStampVerification?
    /// Chain validation, when a trust store was given.
    public let chain: ChainValidation?
    /// The time the chain was validated at.
    public let validationTime: Date
    public let failures: [Failure]

    /// True when there are no failures (integrity, and trust when a store was given).
    public var isValid: Bool { failures.isEmpty }
    /// True when digest and signature hold (ignores trust and time-stamp).
    public var isIntact: Bool { isDigestValid && isSignatureValid }
}
