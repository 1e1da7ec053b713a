import Foundation
import Synchronization

/// Finds the revocation status of certificates: from evidence a document embeds, then OCSP (AIA), then CRLs
/// (distribution points), with an in-memory cache that keeps answers until their nextUpdate.
///
/// Without a fetcher the checker is offline: only embedded evidence is read. Outcomes are values; nothing here
/// throws. One checker is shared by every verification of a process (the CLI run, a worker).
public final class RevocationChecker: Sendable {
    /// What the checker found for one certificate.
    public struct Outcome: Sendable {
        public enum Result: Sendable {
            /// A status from a usable, fresh source.
            case status(RevocationStatus)
            /// Sources exist but none gave a usable status (unreachable, stale, bad signature, `unknown`).
            case unknown([String])
            /// The certificate names no CRL distribution point or OCSP responder and nothing is embedded.
            case notPublished
            /// Offline, and nothing embedded answers for the certificate.
            case offline
        }
        public var result: Result
        /// The CRL or OCSP response the status came from (for a DSS).
        public var evidence: RevocationData
    }

    /// How far clocks may disagree when judging thisUpdate/nextUpdate.
    public static let clockSkew: TimeInterval = 300

    private struct Cache {
        var crls: [String: CertificateRevocationList] = [:]
        var ocsp: [String: OCSPResponse] = [:]
        /// URL → until when a failed fetch is not retried, and why it failed.
        var failures: [String: (until: Date, reason: String)] = [:]
    }

    public let fetcher: (any RevocationFetcher)?
    private let failureRetention: TimeInterval
    private let cache = Mutex(Cache())

    /// - Parameters:
    ///   - fetcher: fetches CRLs and OCSP responses; nil is offline (`--offline`).
    ///   - failureRetention: how long a failed URL is not asked again (a responder that is down is not waited
    ///     for once per signature).
    public init(fetcher: (any RevocationFetcher)?, failureRetention: TimeInterval = 60) {
        self.fetcher = fetcher
        self.failureRetention = failureRetention
    }

    /// True when the checker does not fetch.
    public var isOffline: Bool { fetcher == nil }

    /// The status of `certificate` issued by `issuer` at `now`.
    ///
    /// - Parameter signedAt: the (best) signing time. An embedded answer that the certificate is *not* revoked
    ///   counts only when it was issued at or after that time (OCSP producedAt, CRL thisUpdate, within
    ///   ``clockSkew``): an older one says nothing about the time of signing. A revocation counts whatever its age.
    public func check(
        _ certificate: Certificate, issuer: Certificate, embedded: RevocationData = .init(), now: Date = Date(),
        signedAt: Date? = nil
    ) -> Outcome {
        var reasons: [String] = []
        func predates(_ issued: Date, _ kind: String) -> Bool {
            guard let signedAt, issued.addingTimeInterval(Self.clockSkew) < signedAt else { return false }
            reasons.append(
                "embedded \(kind) issued at \(issued), before the signing time \(signedAt): it cannot show the "
                    + "certificate was not revoked when it signed")
            return true
        }
        // 1. Evidence the document carries: accepted as of its own time (validation in the past, LTV).
        for response in embedded.ocspResponses {
            switch response.status(of: certificate, issuer: issuer) {
            case .status(let status) where status.state != .unknown:
                if status.state == .good, predates(response.producedAt ?? status.thisUpdate, "OCSP response") { continue }
                return Outcome(result: .status(status), evidence: RevocationData(ocspResponses: [response]))
            case .unusable(let reason) where reason != OCSPResponse.noStatusReason:
                // A responder the issuer did not authorise, a bad signature …: said when nothing else answers.
                reasons.append("embedded OCSP response: \(reason)")
            default: continue
            }
        }
        for crl in embedded.crls where crl.issuerName.matches(issuer.subjectName) {
            switch crl.status(of: certificate, issuer: issuer) {
            case .status(let status):
                if status.state == .good, predates(status.thisUpdate, "CRL") { continue }
                return Outcome(result: .status(status), evidence: RevocationData(crls: [crl]))
            case .unusable(let reason): reasons.append("embedded CRL: \(reason)")
            }
        }
        guard let fetcher else {
            return Outcome(result: reasons.isEmpty ? .offline : .unknown(reasons), evidence: .init())
        }
        // 2. OCSP, then 3. CRLs, fetched or cached.
        for url in certificate.ocspResponders where Self.isFetchable(url) {
            switch ocspStatus(certificate, issuer: issuer, url: url, fetcher: fetcher, now: now) {
            case .success(let (status, response)):
                if status.state != .unknown {
                    return Outcome(result: .status(status), evidence: RevocationData(ocspResponses: [response]))
                }
                reasons.append("OCSP \(url): the responder does not know the certificate")
            case .failure(let problem): reasons.append("OCSP \(url): \(problem.reason)")
            }
        }
        for url in certificate.crlDistributionPoints where Self.isFetchable(url) {
            switch crlStatus(certificate, issuer: issuer, url: url, fetcher: fetcher, now: now) {
            case .success(let (status, crl)): return Outcome(result: .status(status), evidence: RevocationData(crls: [crl]))
            case .failure(let problem): reasons.append("CRL \(url): \(problem.reason)")
            }
        }
        if reasons.isEmpty && !certificate.publishesRevocationInformation {
            return Outcome(result: .notPublished, evidence: .init())
        }
        if reasons.isEmpty { reasons.append("no CRL or OCSP location is reachable over HTTP") }
        return Outcome(result: .unknown(reasons), evidence: .init())
    }

    /// A reason a source gave nothing usable.
    struct Problem: Error {
        let reason: String
    }

    static func isFetchable(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// True when `status` may be relied on at `now`.
    static func isFresh(thisUpdate: Date, nextUpdate: Date?, now: Date) -> Bool {
        thisUpdate <= now.addingTimeInterval(clockSkew)
            && (nextUpdate.map { $0 >= now.addingTimeInterval(-clockSkew) } ?? true)
    }

    private func ocspStatus(
        _ certificate: Certificate, issuer: Certificate, url: String, fetcher: any RevocationFetcher, now: Date
    ) -> Result<(RevocationStatus, OCSPResponse), Problem> {
        let key = url + "|" + Hex.string(issuer.publicKey.spkiDER.suffix(32)) + "|" + certificate.serialNumberHex
        if let cached = cache.withLock({ $0.ocsp[key] }),
            case .status(var status) = cached.status(of: certificate, issuer: issuer),
            let next = status.nextUpdate, next > now
        {
            status.location = url
            return .success((status, cached))
        }
        if let failure = recentFailure(url, now: now) { return .failure(Problem(reason: failure)) }
        let request: OCSPRequest
        let response: OCSPResponse
        switch Self.fetchOCSP(certificate, issuer: issuer, url: url, fetcher: fetcher) {
        case .success(let pair): (request, response) = pair
        case .failure(let error): return .failure(Problem(reason: remember(url, error.reason, now: now)))
        }
        switch response.status(of: certificate, issuer: issuer, request: request) {
        case .unusable(let reason):
            return .failure(Problem(reason: reason))
        case .status(var status):
            guard Self.isFresh(thisUpdate: status.thisUpdate, nextUpdate: status.nextUpdate, now: now) else {
                return .failure(Problem(reason: "the response is not current (thisUpdate \(status.thisUpdate))"))
            }
            status.location = url
            if status.nextUpdate != nil { cache.withLock { $0.ocsp[key] = response } }
            return .success((status, response))
        }
    }

    private func crlStatus(
        _ certificate: Certificate, issuer: Certificate, url: String, fetcher: any RevocationFetcher, now: Date
    ) -> Result<(RevocationStatus, CertificateRevocationList), Problem> {
        var crl = cache.withLock { $0.crls[url] }
        if let cached = crl, !(cached.nextUpdate.map { $0 > now } ?? false) { crl = nil }
        if crl == nil {
            if let failure = recentFailure(url, now: now) { return .failure(Problem(reason: failure)) }
            switch Self.fetchCRL(url, fetcher: fetcher) {
            case .success(let fetched): crl = fetched
            case .failure(let error): return .failure(Problem(reason: remember(url, error.reason, now: now)))
            }
        }
        guard let crl else { return .failure(Problem(reason: "no CRL")) }
        guard crl.issuerName.matches(issuer.subjectName) else {
            return .failure(Problem(reason: "the CRL is issued by \(crl.issuerName), not by \(issuer.subject)"))
        }
        switch crl.status(of: certificate, issuer: issuer) {
        case .unusable(let reason):
            return .failure(Problem(reason: reason))
        case .status(var status):
            guard Self.isFresh(thisUpdate: status.thisUpdate, nextUpdate: status.nextUpdate, now: now) else {
                return .failure(Problem(reason: "the CRL is not current (nextUpdate \(status.nextUpdate.map { "\($0)" } ?? "none"))"))
            }
            status.location = url
            if crl.nextUpdate != nil { cache.withLock { $0.crls[url] = crl } }
            return .success((status, crl))
        }
    }

    // Fetch helpers: typed-throws do/catch in functions of their own (the compiler mishandles it where the
    // catch assigns outer variables).
    private static func fetchOCSP(
        _ certificate: Certificate, issuer: Certificate, url: String, fetcher: any RevocationFetcher
    ) -> Result<(OCSPRequest, OCSPResponse), CryptoError> {
        do throws(CryptoError) {
            let request = try OCSPRequest(certificate: certificate, issuer: issuer)
            let body = try fetcher.post(url, body: request.der, contentType: "application/ocsp-request")
            return .success((request, try OCSPResponse(der: body)))
        } catch {
            return .failure(error)
        }
    }

    private static func fetchCRL(_ url: String, fetcher: any RevocationFetcher) -> Result<CertificateRevocationList, CryptoError> {
        do throws(CryptoError) {
            let body = try fetcher.get(url)
            if String(decoding: body.prefix(64), as: UTF8.self).contains("-----BEGIN") {
                return .success(try CertificateRevocationList(pem: String(decoding: body, as: UTF8.self)))
            }
            return .success(try CertificateRevocationList(der: body))
        } catch {
            return .failure(error)
        }
    }

    private func recentFailure(_ url: String, now: Date) -> String? {
        cache.withLock { cache in
            guard let failure = cache.failures[url] else { return nil }
            if failure.until > now { return failure.reason }
            cache.failures[url] = nil
            return nil
        }
    }

    private func remember(_ url: String, _ reason: String, now: Date) -> String {
        let retention = failureRetention
        cache.withLock { $0.failures[url] = (now.addingTimeInterval(retention), reason) }
        return reason
    }
}

extension CertificateRevocationList {
    /// What this CRL says about `certificate` issued by `issuer`: its signature must verify with the issuer's
    /// key and its issuer name match; freshness is the caller's decision.
    public func status(of certificate: Certificate, issuer: Certificate) -> OCSPResponse.Evaluation {
        guard issuerName.matches(issuer.subjectName), certificate.issuerName.matches(issuer.subjectName) else {
            return .unusable("the CRL is not from the certificate's issuer")
        }
        guard isSignatureValid(issuerKey: issuer.publicKey) else {
            return .unusable("the CRL's signature does not verify with the issuer's key")
        }
        if let entry = entry(for: certificate) {
            return .status(
                RevocationStatus(
                    state: .revoked(entry.revocationDate, reason: nil), source: .crl, thisUpdate: thisUpdate,
                    nextUpdate: nextUpdate))
        }
        return .status(RevocationStatus(state: .good, source: .crl, thisUpdate: thisUpdate, nextUpdate: nextUpdate))
    }
}
