import ArgumentParser
import Foundation
import SealCrypto
import SealPipeline
import SealReport
import SealReportHTML
import SealStatus
import SealRevocation

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
              sealpress verify licence-signed.pdf --trust roots.pem --html report.html

            --status-service URL asks the seal's issuer (`sealpress serve` of the installation that registered it; \
            repeat for several, asked in order) and adds the check sealStatus: a seal revoked, suspended or \
            cancelled before the signing time fails; a later change passes with the state named; no answer or a \
            response whose signature does not verify is indeterminate with the reason. Responses must be signed by \
            a certificate chaining to --status-trust (default: the --trust roots).
            Revocation (--revocation, default soft): for every certificate below the trust anchor the OCSP \
            responder (AIA) is asked, then the CRL distribution points are fetched (10 s timeout each; answers are \
            kept until their nextUpdate); a PDF's DSS is used first. Revoked before the signing time is FAILED \
            (REVOKED); revoked after it passes only when a timestamp proves the signing time (else INDETERMINATE, \
            REVOKED_NO_POE); no answer is INDETERMINATE (TRY_LATER, REVOCATION_UNKNOWN). soft skips certificates \
            that name no CRL/OCSP location; hard requires a status for each. --offline fetches nothing and uses \
            only what the document embeds. Revocation is checked only for chains that reach a --trust anchor.

            --html writes a readable report (Chinese with English labels) as one self-contained HTML page: the \
            verdict, each seal's picture and fields, where it sits on the page, and every check. The exit status \
            and the printed output are the same as without it.
            """
    )

    @Argument(help: "The document to verify (PDF or OFD).")
    var file: String

    @Option(help: "Trusted root certificate (PEM or DER); repeat for several.")
    var trust: [String] = []

    @Option(help: "PDF password for encrypted documents.")
    var password: String?

    @Option(help: "Revocation checking: soft (default), hard (a status is required for every certificate) or off.")
    var revocation: RevocationPolicy = .soft

    @Flag(help: "Fetch no CRL or OCSP response; use only the revocation data the document embeds.")
    var offline = false

    @Flag(help: "Print the full report as JSON.")
    var json = false

    @Option(
        name: .customLong("status-service"),
        help: "Base URL of a seal status service (repeatable; asked in order), e.g. http://issuer:8080.")
    var statusService: [String] = []

    @Option(
        name: .customLong("status-trust"),
        help: "Root certificate a status response's signer must chain to (repeatable; default: the --trust roots).")
    var statusTrust: [String] = []

    @Option(name: .customLong("status-cache-seconds"), help: "Reuse a status answer for the same seal this long.")
    var statusCacheSeconds: Double = 300

    @Option(help: "Also write a readable, printable HTML report to this file (an existing file needs --force).")
    var html: String?

    @Flag(help: "Replace the --html file if it exists.")
    var force = false

    func run() throws {
        try CryptoStartupCheck.require()
        if let html { try OutputFile.checkWritable(html, force: force, what: "HTML report") }
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
        if !statusService.isEmpty { report = try withSealStatus(report) }
        if let html { try writeHTML(report, bytes: bytes, to: html) }
        if json {
            FileHandle.standardOutput.write(try ReportJSON(report: report).data())
            print()
        } else {
            print(ReportPrinter.text(report, file: file))
        }
        throw ExitCode(report.indication.exitCode)
    }
}

extension RevocationPolicy: ExpressibleByArgument {}

extension VerifyCommand {
    /// How revocation is checked for this run (one checker, so its cache serves every signature).
    var revocationOptions: RevocationOptions {
        RevocationOptions(
            policy: revocation, checker: RevocationChecker(fetcher: offline ? nil : HTTPRevocationFetcher()))
    }

    /// The readable report: the JSON report plus the seal pictures and boxes read from the document, and page
    /// thumbnails from `pdftoppm` when it is installed.
    func writeHTML(_ report: VerificationReport, bytes: [UInt8], to path: String) throws {
        let details = DocumentDetails.extract(bytes, password: password)
        var pages: Set<Int> = []
        if report.format == DocumentFormat.pdf.rawValue {
            for item in details.values { for placement in item.placements.prefix(6) { pages.insert(placement.page) } }
        }
        let images = PageThumbnails.render(pdf: file, pages: pages, password: password)
        let page = ReportHTML(
            report: report, details: details, pageImages: images,
            fileName: URL(fileURLWithPath: file).lastPathComponent
        ).render()
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CouldNotRun("cannot write the HTML report \(path): \(UserMessage.reason(error))")
        }
    }
}

extension VerifyCommand {
    /// The report with the `sealStatus` check from the status services.
    func withSealStatus(_ report: VerificationReport) throws -> VerificationReport {
        var services: [URL] = []
        for text in statusService {
            guard let url = StatusServiceURL.parse(text) else {
                throw ValidationError("--status-service \(text): \(StatusServiceURL.requirement)")
            }
            services.append(url)
        }
        let roots = try TrustAnchors.load(statusTrust.isEmpty ? trust : statusTrust)
        let client = SealStatusClient(
            configuration: .init(
                services: services, trust: roots.isEmpty ? nil : TrustStore(roots: roots),
                cacheSeconds: max(0, statusCacheSeconds)))
        return SealStatusCheck.apply(to: report) { client.statusBlocking(esID: $0) }
    }
}
