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

            Exit status: 0 passed, 1 failed (tampered, broken, wrong key), 2 indeterminate (intact but not \
            provable: no trust anchor, expired, revocation unknown), 3 or more: could not run.
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
            throw CouldNotRun("cannot read \(file): \(error.localizedDescription)")
        }
        let report: VerificationReport
        switch DocumentFormat.detect(bytes) {
        case .pdf: report = try verifyPDF(bytes)
        case .ofd: report = try verifyOFD(bytes)
        case nil: throw CouldNotRun("\(file) is neither a PDF nor an OFD document")
        }
        if json {
            FileHandle.standardOutput.write(try report.jsonData())
            print()
        } else {
            print(ReportPrinter.text(report, file: file))
        }
        throw ExitCode(report.indication.exitCode)
    }
}
