import Foundation
import SealReport
import Testing

@Suite struct VerdictTests {
    @Test func worstCheckDecidesAndNamesItsSubIndication() {
        let checks: [Check] = [
            .passed("digest", .integrity),
            .indeterminate("certificateChain", .trust, .noCertificateChainFound, "no trust anchor"),
            .failed("signature", .integrity, .sigCryptoFailure, "signature does not verify"),
        ]
        let verdict = Verdict(checks: checks)
        #expect(verdict.indication == .failed)
        #expect(verdict.subIndication == .sigCryptoFailure)
        #expect(verdict.reasons.count == 2)
    }

    @Test func integrityAndTrustAreSeparate() {
        let report = SignatureReport(
            id: "S1", format: "ofd.seal",
            checks: [
                .passed("digest", .integrity),
                .indeterminate("certificateChain", .trust, .noCertificateChainFound, "no trust anchor"),
            ])
        #expect(report.integrity.indication == .passed)
        #expect(report.trust.indication == .indeterminate)
        #expect(report.verdict.indication == .indeterminate)
        #expect(report.verdict.indication.exitCode == 2)
    }

    @Test func skippedAndWarningsDoNotChangeTheVerdict() {
        let report = SignatureReport(
            id: "S1", format: "pdf.pades",
            checks: [.passed("digest", .integrity), .skipped("timestamp", .trust, "none"), .warning("x", .trust, "y")])
        #expect(report.verdict.indication == .passed)
        #expect(report.verdict.subIndication == nil)
    }

    @Test func unsignedDocumentIsIndeterminate() {
        let report = VerificationReport(format: "pdf", signatures: [])
        #expect(report.indication == .indeterminate)
        #expect(report.verdict.subIndication == .signedDataNotFound)
    }

    @Test func documentCheckFailureFailsAnIntactSignature() throws {
        let signature = SignatureReport(id: "Sig1", format: "pdf.pades", checks: [.passed("digest", .integrity)])
        let report = VerificationReport(
            format: "pdf", signatures: [signature],
            documentChecks: [.failed("modifications", .integrity, .formatFailure, "page content changed in revision 3")])
        #expect(report.indication == .failed)
        let decoded = try VerificationReport.decode(json: try report.jsonData())
        #expect(decoded.verdict == report.verdict)
        #expect(decoded.signatures == report.signatures)
    }
}
