public import SealCrypto
import SealOFD
import SealPDF
public import SealReport

/// The verification `sealpress verify --json` runs, for jobs: PDF or OFD by content, same report.
public enum DocumentVerification {
    public static func verify(_ bytes: [UInt8], format: DocumentFormat, trust: TrustStore?) -> VerificationReport {
        switch format {
        case .pdf: PDFVerifier.verify(bytes, options: PDFVerifyOptions(trust: trust))
        case .ofd: OFDVerifier.verify(bytes, trust: trust)
        }
    }

    /// Why a freshly signed output is not acceptable, or nil. With trust anchors the verdict must be PASSED;
    /// without, integrity must pass and the report must hold at least the signatures just made.
    public static func problem(_ report: VerificationReport, expectedSignatures: Int, trustConfigured: Bool) -> String? {
        if report.signatures.count < expectedSignatures {
            return "the output shows \(report.signatures.count) signature(s), \(expectedSignatures) expected"
        }
        let verdict = trustConfigured ? report.verdict : report.integrity
        guard verdict.indication == .passed else {
            let reasons = verdict.reasons.prefix(2).joined(separator: "; ")
            return "\(verdict.indication.rawValue)\(verdict.subIndication.map { "/\($0)" } ?? ""): \(reasons)"
        }
        return nil
    }
}
