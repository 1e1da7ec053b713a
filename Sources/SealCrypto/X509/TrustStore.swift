import Foundation
import SwiftASN1

/// Trusted roots, known intermediates and offline CRLs; validates chains at a given time.
public struct TrustStore: Sendable {
    public var roots: [Certificate]
    public var intermediates: [Certificate]
    public var crls: [CertificateRevocationList]

    public init(roots: [Certificate], intermediates: [Certificate] = [], crls: [CertificateRevocationList] = []) {
        self.roots = roots
        self.intermediates = intermediates
        self.crls = crls
    }

    /// Loads roots from a PEM bundle (all `CERTIFICATE` blocks).
    public init(rootsPEM: String) throws(CryptoError) {
        self.init(roots: try Certificate.certificates(pem: rootsPEM))
    }

    /// Validates `leaf` at `time`: builds a path through `intermediates` (the store's and the extra ones, e.g.
    /// from a CMS message) to a root, and checks signatures (SM2 with the standard ID), validity periods at
    /// `time`, CA constraints, key usage, and revocation by the store's CRLs.
    public func validate(_ leaf: Certificate, intermediates extra: [Certificate] = [], at time: Date) -> ChainValidation {
        let pool = uniqued(intermediates + extra + roots)
        var paths: [[Certificate]] = []
        var badSignatureSubjects: Set<String> = []
        buildPaths(from: [leaf], pool: pool, into: &paths, badSignatures: &badSignatureSubjects)
        let evaluated = paths.map { path in (path, evaluate(path, at: time)) }
        if let best = evaluated.min(by: { $0.1.count < $1.1.count }) {
            return ChainValidation(chain: best.0, failures: best.1, validationTime: time)
        }
        // No path to a root: report the longest partial chain we can build without signatures failing.
        var partial = [leaf]
        while partial.count < 10, let last = partial.last, !last.isSelfIssued,
            let next = pool.first(where: { last.isIssued(by: $0) && !partial.contains($0) })
        {
            partial.append(next)
        }
        var failures = evaluate(partial, at: time, anchored: false)
        if badSignatureSubjects.isEmpty {
            failures.insert(.untrusted(subject: partial.last!.subject), at: 0)
        } else {
            for subject in badSignatureSubjects.sorted() { failures.insert(.badSignature(subject: subject), at: 0) }
            failures.append(.untrusted(subject: partial.last!.subject))
        }
        return ChainValidation(chain: partial, failures: failures, validationTime: time)
    }

    private func uniqued(_ certificates: [Certificate]) -> [Certificate] {
        var seen: Set<Certificate> = []
        return certificates.filter { seen.insert($0).inserted }
    }

    private func buildPaths(
        from path: [Certificate], pool: [Certificate], into paths: inout [[Certificate]],
        badSignatures: inout Set<String>
    ) {
        guard let current = path.last, paths.count < 8, path.count <= 10 else { return }
        if roots.contains(current) {
            paths.append(path)
            return
        }
        for candidate in pool where !path.contains(candidate) && current.issuerName.matches(candidate.subjectName) {
            if let aki = current.authorityKeyIdentifier, let ski = candidate.subjectKeyIdentifier, aki != ski { continue }
            if current.isSignatureValid(issuerKey: candidate.publicKey) {
                buildPaths(from: path + [candidate], pool: pool, into: &paths, badSignatures: &badSignatures)
            } else {
                badSignatures.insert(current.subject)
            }
        }
    }

    private func evaluate(_ path: [Certificate], at time: Date, anchored: Bool = true) -> [ChainValidation.Failure] {
        var failures: [ChainValidation.Failure] = []
        for (index, certificate) in path.enumerated() {
            if time > certificate.notAfter {
                failures.append(.expired(subject: certificate.subject, notAfter: certificate.notAfter))
            }
            if time < certificate.notBefore {
                failures.append(.notYetValid(subject: certificate.subject, notBefore: certificate.notBefore))
            }
            for oid in certificate.unhandledCriticalExtensions {
                failures.append(.unhandledCriticalExtension(subject: certificate.subject, oid: oid.description))
            }
            guard index + 1 < path.count else { continue }
            let issuer = path[index + 1]
            let isAnchor = anchored && index + 1 == path.count - 1
            // A trust anchor is trusted as configured (RFC 5280 §6.1: its extensions are not path constraints;
            // old Chinese roots lack basicConstraints); every other issuer needs cA and keyCertSign.
            let issuerMayIssue = isAnchor
                || (issuer.isCA && (issuer.keyUsage.map { $0.contains(.keyCertSign) } ?? true))
            if !issuerMayIssue { failures.append(.issuerNotCA(subject: issuer.subject)) }
            if let limit = issuer.pathLengthConstraint, index > limit {
                failures.append(.pathTooLong(subject: issuer.subject))
            }
            failures.append(contentsOf: revocationFailures(certificate, issuer: issuer, at: time))
        }
        return failures
    }

    private func revocationFailures(_ certificate: Certificate, issuer: Certificate, at time: Date) -> [ChainValidation.Failure] {
        var failures: [ChainValidation.Failure] = []
        for crl in crls where crl.issuerName.matches(issuer.subjectName) {
            guard crl.isSignatureValid(issuerKey: issuer.publicKey) else {
                failures.append(.crlSignatureInvalid(issuer: issuer.subject))
                continue
            }
            if let entry = crl.entry(for: certificate), entry.revocationDate <= time {
                failures.append(.revoked(subject: certificate.subject, revocationDate: entry.revocationDate))
            }
        }
        return failures
    }
}
