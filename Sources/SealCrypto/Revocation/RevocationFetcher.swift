/// Fetches revocation data over the network (CRLs by GET, OCSP by POST).
///
/// SealCrypto holds no network code: the CLI and the worker hand in an implementation (SealRevocation's
/// `HTTPRevocationFetcher`), tests may hand in their own. Calls block the calling thread until the answer or
/// the implementation's timeout; failures throw ``CryptoError/Code/network``.
public protocol RevocationFetcher: Sendable {
    /// The body of a `GET`, for a CRL distribution point.
    func get(_ url: String) throws(CryptoError) -> [UInt8]
    /// The body of a `POST`, for an OCSP request.
    func post(_ url: String, body: [UInt8], contentType: String) throws(CryptoError) -> [UInt8]
}

/// How revocation is judged (`sealpress verify --revocation`, pipelines' `revocation:`).
///
/// - `soft`: checked when the certificate publishes where (CRL distribution point, OCSP in AIA) or the
///   document embeds evidence; a certificate that publishes nothing is reported as not checked; published but
///   unreachable or unknown is INDETERMINATE (TRY_LATER).
/// - `hard`: every certificate of the chain below the trust anchor needs a status: a certificate that publishes
///   nothing, or an `--offline` check without embedded data, is INDETERMINATE (TRY_LATER) too.
/// - `off`: nothing is fetched or read; reported as not checked.
public enum RevocationPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    case soft, hard, off
}

/// The revocation part of a verification: the policy and the checker that fetches and caches.
public struct RevocationOptions: Sendable {
    public var policy: RevocationPolicy
    public var checker: RevocationChecker

    public init(policy: RevocationPolicy, checker: RevocationChecker) {
        self.policy = policy
        self.checker = checker
    }
}
