import ArgumentParser
import Foundation
import SealCrypto
import SealNetClient
import SealPDF
import SealReport
import SealRevocation

/// `sealpress ltv extend FILE`: long-term validation of signed PDFs (PAdES B-LT/B-LTA).
struct LTVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ltv",
        abstract: "Keep PDF signatures verifiable after their certificates expire (PAdES B-LT/B-LTA).",
        subcommands: [Extend.self]
    )

    /// Adds revocation data and a fresh document timestamp to a signed PDF.
    struct Extend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "extend",
            abstract: "Add revocation data (DSS) and a fresh document timestamp to a signed PDF.",
            discussion: """
                Fetches a CRL or OCSP response for every certificate of every signature and timestamp (signers, \\
                TSAs, earlier document timestamps), writes them with the certificates into the document's DSS, \\
                then adds a document timestamp over the whole file, each as an incremental update: every \\
                existing signature stays intact. Run it again before the last document timestamp's TSA \\
                certificate expires (the archival renewal).

                Without -o the file is extended in place (appended to; nothing before is changed).

                Examples:
                  sealpress ltv extend licence-signed.pdf --tsa http://tsa.example/tsr \\
                      --chain ca.pem
                  sealpress ltv extend licence-signed.pdf -o licence-archived.pdf \\
                      --tsa http://tsa.example/tsr
                """
        )

        @Argument(help: "The signed PDF.")
        var file: String

        @Option(name: [.customShort("o"), .long], help: "Write the extended document here instead of extending FILE.")
        var output: String?

        @Option(help: "RFC 3161 time-stamping authority URL for the document timestamp.")
        var tsa: String?

        @Flag(name: .customLong("no-timestamp"), help: "Add revocation data only (PAdES B-LT), no document timestamp.")
        var noTimestamp = false

        @Option(help: "CA certificates (PEM) completing chains the document does not carry; repeat for several.")
        var chain: [String] = []

        @Option(help: "PDF password for encrypted documents.")
        var password: String?

        @Flag(help: "Replace the -o file if it exists.")
        var force = false

        func run() throws {
            try CryptoStartupCheck.require()
            if let output { try OutputFile.checkWritable(output, force: force) }
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                throw CouldNotRun("cannot read \(file): \(UserMessage.reason(error))")
            }
            guard DocumentFormat.detect(bytes) == .pdf else { throw CouldNotRun("\(file) is not a PDF") }
            var anchors: [Certificate] = []
            for path in chain {
                do {
                    anchors += try Certificate.certificates(pem: try String(contentsOfFile: path, encoding: .utf8))
                } catch {
                    throw CouldNotRun("cannot read the certificates in \(path): \(UserMessage.reason(error))")
                }
            }
            var timestamper: (any TimeStampProvider)?
            if let tsa {
                guard let url = URL(string: tsa), url.scheme == "http" || url.scheme == "https" else {
                    throw CouldNotRun("--tsa must be an http(s) URL")
                }
                timestamper = TimeStampClient(url: url)
            } else if !noTimestamp {
                throw CouldNotRun("a document timestamp needs --tsa URL (or pass --no-timestamp for revocation data only)")
            }
            let extended: [UInt8]
            do {
                extended = try PDFLongTermValidation.extend(
                    bytes, level: noTimestamp ? .lt : .lta, checker: RevocationChecker(fetcher: HTTPRevocationFetcher()),
                    timestamper: timestamper, anchors: anchors, password: password)
            } catch let error as PDFStampError {
                throw CouldNotRun("cannot extend \(file): \(error.reason)")
            }
            let target = output ?? file
            do {
                try Data(extended).write(to: URL(fileURLWithPath: target), options: .atomic)
            } catch {
                throw CouldNotRun("cannot write \(target): \(UserMessage.reason(error))")
            }
            print("\(target): \(noTimestamp ? "revocation data added (PAdES B-LT)" : "revocation data and a document timestamp added (PAdES B-LTA)")")
        }
    }
}
