import Foundation
import SealCrypto
import SealReport

/// Turns revocation outcomes for a validated chain into report checks, the same way for PDF and OFD.
///
/// One check per certificate below the trust anchor: `<name>` for the end-entity certificate,
/// `<name>.issuer1`, `<name>.issuer2` … for the CAs above it. ETSI EN 319 102-1 semantics:
/// - not revoked → passed;
/// - revoked at or before the signing time → failed `REVOKED`;
/// - revoked after the signing time → passed when a trusted timestamp proves that time, otherwise
///   indeterminate `REVOKED_NO_POE` (a claimed time can be back-dated by whoever holds a compromised key);
/// - no usable answer → indeterminate `TRY_LATER` with the reason `REVOCATION_UNKNOWN: …`;
/// - nothing published (soft) or offline without embedded evidence (soft), `--revocation off` → skipped.
public enum RevocationChecks {
    public struct Result: Sendable {
        public var checks: [Check]
        /// The CRLs and OCSP responses the statuses came from.
        public var evidence: RevocationData
    }

    /// - Parameters:
    ///   - name: the end-entity check's name (`revocation`, `sealMakerRevocation` …).
    ///   - role: how the reasons name the end-entity certificate (`signer`, `seal maker` …).
    ///   - chain: the validated chain, leaf first, ending at the trust anchor; nil when no chain reached one.
    ///   - signingTime: the time revocations are compared with; embedded "not revoked" answers issued before it
    ///     do not count (``RevocationChecker/check(_:issuer:embedded:now:signedAt:)``).
    ///   - proven: true when a trusted timestamp proves `signingTime`.
    ///   - embedded: revocation evidence the document carries.
    public static func check(
        _ name: String, role: String, chain: [Certificate]?, signingTime: Date, proven: Bool,
        options: RevocationOptions, embedded: RevocationData = .init(), now: Date = Date()
    ) -> Result {
        if options.policy == .off {
            return Result(checks: [.skipped(name, .trust, "revocation was not checked (revocation: off)")], evidence: .init())
        }
        guard let chain, chain.count >= 2 else {
            return Result(
                checks: [.skipped(name, .trust, "revocation was not checked: the \(role) certificate has no chain to a trust anchor")],
                evidence: .init())
        }
        var checks: [Check] = []
        var evidence = RevocationData()
        for index in 0..<(chain.count - 1) {
            let certificate = chain[index]
            let checkName = index == 0 ? name : "\(name).issuer\(index)"
            let who = index == 0 ? "the \(role) certificate (\(certificate.subject))" : "the CA certificate \(certificate.subject)"
            if certificate.hasOCSPNoCheck {
                checks.append(.skipped(checkName, .trust, "\(who) is an OCSP responder certificate marked no-check"))
                continue
            }
            let outcome = options.checker.check(
                certificate, issuer: chain[index + 1], embedded: embedded, now: now, signedAt: signingTime)
            evidence.merge(outcome.evidence)
            checks.append(
                check(checkName, who: who, outcome: outcome.result, signingTime: signingTime, proven: proven, options: options))
        }
        return Result(checks: checks, evidence: evidence)
    }

    private static func check(
        _ name: String, who: String, outcome: RevocationChecker.Outcome.Result, signingTime: Date, proven: Bool,
        options: RevocationOptions
    ) -> Check {
        let hard = options.policy == .hard
        switch outcome {
        case .status(let status):
            let source = describe(status)
            switch status.state {
            case .good:
                return .passed(name, .trust, "\(who) is not revoked (\(source))")
            case .revoked(let date, let reason):
                let why = reason.map { " (\($0))" } ?? ""
                if date <= signingTime {
                    return .failed(
                        name, .trust, .revoked,
                        "\(who) was revoked at \(iso(date))\(why), before the signing time \(iso(signingTime)) (\(source))")
                }
                if proven {
                    return .passed(
                        name, .trust,
                        "\(who) was revoked at \(iso(date))\(why), after the signing time \(iso(signingTime)) that a "
                            + "timestamp proves: the signature stays valid (\(source))")
                }
                return .indeterminate(
                    name, .trust, .revokedNoPOE,
                    "\(who) was revoked at \(iso(date))\(why), after the claimed signing time \(iso(signingTime)), "
                        + "but no trusted timestamp proves the signature existed before the revocation (\(source))")
            case .unknown:
                return .indeterminate(
                    name, .trust, .tryLater, "REVOCATION_UNKNOWN: the responder does not know \(who) (\(source))")
            }
        case .unknown(let reasons):
            return .indeterminate(
                name, .trust, .tryLater,
                "REVOCATION_UNKNOWN: no usable revocation status for \(who): " + reasons.joined(separator: "; "))
        case .notPublished:
            if hard {
                return .indeterminate(
                    name, .trust, .tryLater,
                    "REVOCATION_UNKNOWN: \(who) names no CRL or OCSP location and the document embeds no status "
                        + "(revocation: hard requires one)")
            }
            return .skipped(name, .trust, "\(who) names no CRL or OCSP location: revocation not checked")
        case .offline:
            if hard {
                return .indeterminate(
                    name, .trust, .tryLater,
                    "REVOCATION_UNKNOWN: offline, and the document embeds no revocation status for \(who) "
                        + "(revocation: hard requires one)")
            }
            return .skipped(name, .trust, "revocation of \(who) was not checked: offline and nothing embedded")
        }
    }

    private static func describe(_ status: RevocationStatus) -> String {
        let kind = status.source == .ocsp ? "OCSP" : "CRL"
        let place = status.location.map { " \($0)" } ?? " embedded in the document"
        return "\(kind)\(place), thisUpdate \(iso(status.thisUpdate))"
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
