public import SealCrypto
import SealOFD
import SealPDF
public import SealReport
import SealRevocation

/// The verification `sealpress verify --json` runs, for jobs: PDF or OFD by content, same report.
public enum DocumentVerification {
    ///   - revocation: the pipeline's `revocation:` policy; nil adds no revocation checks.
    public static func verify(
        _ bytes: [UInt8], format: DocumentFormat, trust: TrustStore?, password: String? = nil,
        revocation: RevocationPolicy? = nil
    ) -> VerificationReport {
        let options = revocation.map { RevocationOptions(policy: $0, checker: sharedRevocationChecker) }
        return switch format {
        case .pdf: PDFVerifier.verify(bytes, options: PDFVerifyOptions(trust: trust, password: password, revocation: options))
        case .ofd: OFDVerifier.verify(bytes, trust: trust, revocation: options)
        }
    }

    /// One revocation checker per worker process: its cache serves every job until the answers' nextUpdate.
    static let sharedRevocationChecker = RevocationChecker(fetcher: HTTPRevocationFetcher())

    /// Why a freshly signed output is not acceptable, or nil. With trust anchors the verdict must be PASSED;
    /// without, integrity must pass and the report must hold at least the signatures just made.
    public static func problem(_ report: VerificationReport, expectedSignatures: Int, trustConfigured: Bool) -> String? {
        if report.signatures.count < expectedSignatures {
            return "the output shows \(report.signatures.count) signature(s), \(expectedSignatures) expected"
        }
        let verdict = trustConfigured ? report.verdict : report.integrity
        guard verdict.indication == .passed else { return describe(verdict) }
        return nil
    }

    /// Which of the output report's signatures the stamp added: those whose ids the input did not carry
    /// (`inputIDs`), or, when ids repeat, the last `count` in the report's order.
    public static func addedSignatures(_ report: VerificationReport, inputIDs: [String], count: Int) -> Set<Int> {
        let before = Set(inputIDs)
        let fresh = report.signatures.indices.filter { !before.contains(report.signatures[$0].id) }
        if fresh.count == count { return Set(fresh) }
        return Set(report.signatures.indices.suffix(count))
    }

    /// Why a countersigned output is not acceptable, or nil. The signatures just added (`added`, indices into the
    /// report) are judged fully: integrity, and trust when trust anchors are configured. The signatures the input
    /// already carried are judged per `earlier`: `integrity` (they must still verify; another party's signer need
    /// not chain to our anchors), `full` (as ours), `ignore`. Document checks (later revisions, unsigned data,
    /// structure) must pass in every case.
    public static func problem(
        _ report: VerificationReport, added: Set<Int>, expectedSignatures: Int, trustConfigured: Bool,
        earlier: EarlierSignaturesPolicy
    ) -> String? {
        if added.count < expectedSignatures {
            return "the output shows \(added.count) new signature(s), \(expectedSignatures) expected"
        }
        for (index, signature) in report.signatures.enumerated() {
            let verdict: Verdict?
            if added.contains(index) {
                verdict = trustConfigured ? signature.verdict : signature.integrity
            } else {
                switch earlier {
                case .full: verdict = trustConfigured ? signature.verdict : signature.integrity
                case .integrity: verdict = signature.integrity
                case .ignore: verdict = nil
                }
            }
            if let verdict, verdict.indication != .passed {
                let whose = added.contains(index) ? "the new signature" : "the earlier signature"
                return "\(whose) '\(signature.id)': \(describe(verdict))"
            }
        }
        let document = Verdict(checks: report.documentChecks)
        guard document.indication == .passed else { return describe(document) }
        return nil
    }

    /// The document check a report carries when the input was already signed: how its signatures were judged.
    public static func earlierSignaturesCheck(count: Int, policy: EarlierSignaturesPolicy) -> Check {
        let how = switch policy {
        case .integrity: "judged for integrity only: their signers need not chain to this worker's trust anchors"
        case .full: "judged for integrity and trust, as the new signature(s)"
        case .ignore: "listed but not judged"
        }
        return .warning(
            "earlierSignatures", .integrity,
            "the input already carried \(count) signature(s), \(how) (earlier_signatures: \(policy.rawValue))")
    }

    private static func describe(_ verdict: Verdict) -> String {
        let reasons = verdict.reasons.prefix(2).joined(separator: "; ")
        return "\(verdict.indication.rawValue)\(verdict.subIndication.map { "/\($0)" } ?? ""): \(reasons)"
    }
}
