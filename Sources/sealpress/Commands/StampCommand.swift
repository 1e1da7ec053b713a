import ArgumentParser
import Foundation
import SealReport

/// `sealpress stamp IN OUT …`: stamps one document locally (no database). The format is detected from content.
struct StampCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stamp",
        abstract: "Stamp a PDF or OFD document with an electronic seal (local, no database).",
        discussion: """
            The seal image is drawn at the placement (millimetres from the page's bottom-left corner for PDF, \
            from the top-left for OFD, as each format's coordinate system runs) and a signature is added \
            without changing a byte of the original document.

            Examples:
              sealpress stamp licence.pdf licence-signed.pdf --seal seal.esl --key signer.key --cert signer.pem
              sealpress stamp invoice.ofd invoice-signed.ofd --seal seal.esl --key signer.key --cert signer.pem \\
                  --page 1 --x-mm 120 --y-mm 200
            """
    )

    @Argument(help: "The document to stamp (PDF or OFD).")
    var input: String

    @Argument(help: "Where to write the stamped document (never the input itself).")
    var output: String

    @OptionGroup var options: StampOptions

    func validate() throws {
        if URL(fileURLWithPath: input).standardizedFileURL == URL(fileURLWithPath: output).standardizedFileURL {
            throw ValidationError("OUT must differ from IN: the input is never modified")
        }
    }

    func run() throws {
        try CryptoStartupCheck.require()
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: input)))
        } catch {
            throw CouldNotRun("cannot read \(input): \(error.localizedDescription)")
        }
        switch DocumentFormat.detect(bytes) {
        case .pdf: try stampPDF(bytes)
        case .ofd: try stampOFD(bytes)
        case nil: throw CouldNotRun("\(input) is neither a PDF nor an OFD document")
        }
    }
}

/// Options shared by every stamp, whatever the format.
struct StampOptions: ParsableArguments {
    @Option(help: "The electronic seal (.esl, GB/T 38540 SESeal DER).")
    var seal: String?

    @Option(help: "The signer's private key (PEM, encrypted PKCS#8 or PKCS#12).")
    var key: String

    @Option(help: "Password of an encrypted key or PKCS#12 file (or set SEALPRESS_KEY_PASSWORD).")
    var keyPassword: String?

    @Option(help: "The signer's certificate (PEM or DER); taken from a PKCS#12 key when omitted.")
    var cert: String?

    @Option(help: "Extra certificates to embed (intermediate CAs), PEM.")
    var chain: [String] = []

    @Option(help: "Page to stamp, 1-based; 'last' for the last page.")
    var page: String = "last"

    @Option(name: .customLong("x-mm"), help: "Horizontal position of the seal's left edge, in millimetres.")
    var xMM: Double = 120

    @Option(name: .customLong("y-mm"), help: "Vertical position of the seal, in millimetres.")
    var yMM: Double = 40

    @Option(name: .customLong("width-mm"), help: "Seal width in millimetres (default: the seal's own size).")
    var widthMM: Double?

    @Option(name: .customLong("height-mm"), help: "Seal height in millimetres (default: keeps the image's ratio).")
    var heightMM: Double?

    @Option(help: "Image to draw instead of the seal's picture (PNG or JPEG).")
    var image: String?

    @Option(help: "Signature format: pades-b-b, pades-b-t, pkcs7, sm2, ses (PDF); ses, ses-v1, sign (OFD).")
    var format: String?

    @Option(help: "RFC 3161 time-stamping authority URL (adds a signature timestamp).")
    var tsa: String?

    @Flag(help: "Lock the document: protect the signature list so no later signature can be added.")
    var lock = false

    @Option(help: "Reason for signing (PDF /Reason).")
    var reason: String?

    @Option(help: "Location of signing (PDF /Location).")
    var location: String?

    @Flag(help: "Print a JSON summary of what was written.")
    var json = false
}

/// An error that means "could not run": bad input, unreadable files. Exits with 3.
struct CouldNotRun: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
