import ArgumentParser
import Foundation
import SealReport

/// `sealpress verify FILE`: verifies every signature of a PDF or OFD document.
///
/// Exit status: 0 passed, 1 failed, 2 indeterminate (ETSI EN 319 102-1), 3 or more when it could not run.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the seals and signatures of a PDF or OFD document.",
        discussion: """
            Integrity (digests, signature values, later modifications) and trust (certificate chains, seal \
            validity, timestamps) are checked and reported separately; the overall verdict follows \
            ETSI EN 319 102-1.

            Without --trust no signer can be traced to a trusted root: trust is then INDETERMINATE \
            (NO_CERTIFICATE_CHAIN_FOUND) and the exit status 2, even when every signature is intact.

            Exit status: 0 passed, 1 failed (tampered, broken, wrong key), 2 indeterminate (intact but not \
            provable: no trust anchor, expired, revocation unknown), 3 could not run, 64 bad usage.

            Examples:
              sealpress verify licence-signed.pdf --trust roots.pem
              sealpress verify invoice-signed.ofd --trust roots.pem --json
            """
    )

    @Argument(help: "The document to verify (PDF or OFD).")
    var file: String

    @Option(help: "Trusted root certificate (PEM or DER); repeat for several.")
    var trust: [String] = []

    @Option(help: "PDF password for encrypted documents.")
    var password: String?

    @Flag(help: "Print the full report as JSON.")
    var json = false

    func run() throws {
        try CryptoStartupCheck.require()
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw CouldNotRun("cannot read \(file): \(UserMessage.reason(error))")
        }
        var report: VerificationReport
        switch DocumentFormat.detect(bytes) {
        case .pdf: report = try verifyPDF(bytes)
        case .ofd: report = try verifyOFD(bytes)
        case nil: throw CouldNotRun("\(file) is neither a PDF nor an OFD document")
        }
        report = report.withTrustAccounted(anchorsGiven: !trust.isEmpty)
        if json {
            FileHandle.standardOutput.write(try ReportJSON(report: report).data())
            print()
        } else {
            print(ReportPrinter.text(report, file: file))
        }
        throw ExitCode(report.indication.exitCode)
    }
}

extension VerificationReport {
    /// The report with trust never PASSED unless a chain to a trust anchor was checked: a signature whose trust
    /// checks all passed or were skipped without any certificate chain passing (no --trust given, or the signature
    /// could not be read far enough to find its signer) gets an indeterminate `trustAnchor` check
    /// (ETSI EN 319 102-1: NO_CERTIFICATE_CHAIN_FOUND).
    func withTrustAccounted(anchorsGiven: Bool) -> VerificationReport {
        let missing = Check.indeterminate(
            "trustAnchor", .trust, .noCertificateChainFound,
            anchorsGiven
                ? "no certificate of this signature was checked against the trust anchors"
                : "no trust anchor was given (--trust roots.pem): the signer cannot be traced to a trusted root")
        var signatures = self.signatures
        for (index, signature) in signatures.enumerated() where signature.trust.indication == .passed {
            let chainPassed = signature.checks.contains {
                $0.category == .trust && $0.status == .passed && $0.name.lowercased().contains("chain")
            }
            if anchorsGiven && chainPassed { continue }
            signatures[index] = SignatureReport(
                id: signature.id, format: signature.format, algorithm: signature.algorithm, signer: signature.signer,
                signerSerial: signature.signerSerial, sealName: signature.sealName, sealID: signature.sealID,
                signingTime: signature.signingTime, timestamped: signature.timestamped,
                checks: signature.checks + [missing])
        }
        return VerificationReport(
            format: format, documentSHA256: documentSHA256, signatures: signatures, documentChecks: documentChecks,
            verifiedAt: verifiedAt)
    }
}
