import ElectronicSeal
import ArgumentParser
import Foundation
import SealCrypto
import SealPipeline
import SealReport

/// `sealpress stamp IN OUT …`: stamps one document locally (no database). The format is detected from content.
struct StampCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stamp",
        abstract: "Stamp a PDF or OFD document with an electronic seal (local, no database).",
        discussion: """
            The seal image is drawn at --x-mm/--y-mm: millimetres from the page's bottom-left corner to the seal's \
            bottom-left corner, for PDF and OFD alike (as in pipelines). A signature is added without changing a \
            byte of the original document. --page takes a number, first, last, every or a range (2-4): a PDF gets \
            one signature per page, an OFD one signature showing the seal on every page.

            OUT is never replaced unless --force is given. A PDF whose cross-reference is broken is stamped only \
            with --allow-repair (the output then says it was repaired).

            Examples:
              sealpress stamp licence.pdf licence-signed.pdf \\
                  --seal seal.esl --key signer.key --cert signer.pem
              sealpress stamp invoice.ofd invoice-signed.ofd \\
                  --seal seal.esl --key signer.key --cert signer.pem \\
                  --page 1 --x-mm 120 --y-mm 40
              sealpress stamp contract.pdf contract-signed.pdf \\
                  --seal seal.esl --key signer.p12 --page every --json
              sealpress stamp licence.pdf licence-signed.pdf \\
                  --seal seal.esl --key signer.p12 \\
                  --keyword 盖章处 --occurrence last --offset-mm 0,5

            --keyword centres the seal on where the text is printed (see `sealpress locate`); a document without \
            it fails unless --x-mm/--y-mm give a fallback position. An encrypted PDF is opened with the password in \
            the environment variable SEALPRESS_PDF_PASSWORD; a key's password may come from SEALPRESS_KEY_PASSWORD.
            """
    )

    @Argument(help: "The document to stamp (PDF or OFD).")
    var input: String

    @Argument(help: "Where to write the stamped document (never the input itself; an existing file needs --force).")
    var output: String

    @OptionGroup var options: StampOptions

    func validate() throws {
        if URL(fileURLWithPath: input).standardizedFileURL == URL(fileURLWithPath: output).standardizedFileURL {
            throw ValidationError("OUT must differ from IN: the input is never modified")
        }
        _ = try options.pageSelection()
        _ = try options.keywordAnchor()
        _ = try options.ridingSeal()
    }

    func run() throws {
        try CryptoStartupCheck.require()
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: input)))
        } catch {
            throw CouldNotRun("cannot read \(input): \(UserMessage.reason(error))")
        }
        try OutputFile.checkWritable(output, force: options.force)
        let format = DocumentFormat.detect(bytes)
        try Self.checkExtension(of: output, for: format)
        let summary: StampSummary
        switch format {
        case .pdf: summary = try stampPDF(bytes)
        case .ofd: summary = try stampOFD(bytes)
        case nil: throw CouldNotRun("\(input) is neither a PDF nor an OFD document")
        }
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(summary.text)
        }
    }

    /// Refuses an OUT whose extension names the other format (an OFD written to `x.pdf` is a file no viewer opens;
    /// a batch with a templated name would make many). Any other name is the user's choice.
    static func checkExtension(of output: String, for format: DocumentFormat?) throws {
        let named = URL(fileURLWithPath: output).pathExtension.lowercased()
        switch (format, named) {
        case (.ofd?, "pdf"):
            throw ValidationError("the input is an OFD document but OUT \(output) ends in .pdf; name it .ofd")
        case (.pdf?, "ofd"):
            throw ValidationError("the input is a PDF but OUT \(output) ends in .ofd; name it .pdf")
        default:
            return
        }
    }

    /// Writes the stamped document; `parts` are written one after the other (a PDF's original and its update).
    func write(_ parts: [[UInt8]]) throws {
        try OutputFile.checkWritable(output, force: options.force)
        guard FileManager.default.createFile(atPath: output, contents: nil),
            let handle = FileHandle(forWritingAtPath: output)
        else { throw CouldNotRun("cannot write \(output): check that its folder exists and is writable") }
        do {
            for part in parts { try handle.write(contentsOf: part) }
            try handle.close()
        } catch {
            throw CouldNotRun("cannot write \(output): \(UserMessage.reason(error))")
        }
    }
}

/// What `sealpress stamp` wrote: the same keys for PDF and OFD (`--json` prints it; numbers and booleans as such).
struct StampSummary: Encodable {
    var input: String
    var output: String
    /// `pdf` or `ofd` (as in the verification report).
    var format: String
    /// The signature format: pades-b-b, pades-b-t, pkcs7, sm2, sm2-pkcs7, ses (PDF); ses, ses-v1, sign (OFD).
    var signatureFormat: String
    /// Signatures added (PDF: one per stamped page; OFD: one).
    var signatures: Int
    /// The 1-based pages that show the seal (empty for an invisible signature).
    var pages: [Int]
    var visible: Bool
    var lock: Bool
    /// True when a broken cross-reference was rebuilt before stamping (`--allow-repair`).
    var repaired: Bool
    var bytes: Int
    var sha256: String
    var signer: String

    var text: String {
        var text = "stamped \(input) → \(output) (\(format) \(signatureFormat), "
        text += visible ? "seal on page\(pages.count == 1 ? "" : "s") \(pages.map(String.init).joined(separator: ", "))" : "invisible"
        text += ", \(signatures) signature\(signatures == 1 ? "" : "s"), \(bytes) bytes"
        if lock { text += ", locked" }
        text += ")"
        if repaired { text += "\nnote: the input's cross-reference was broken and was rebuilt by scanning (--allow-repair)" }
        return text
    }
}

/// Options shared by every stamp, whatever the format.
struct StampOptions: ParsableArguments {
    @Option(help: "The electronic seal (.esl, GB/T 38540 SESeal DER).")
    var seal: String?

    @Option(help: "The signer's private key (PEM, encrypted PKCS#8 or PKCS#12), a pkcs11: URI of a key in a token, or a signing service key sealpress+https://HOST:PORT/keys/NAME.")
    var key: String

    @Option(help: "Password of an encrypted key or PKCS#12 file (or set SEALPRESS_KEY_PASSWORD).")
    var keyPassword: String?

    @Option(help: "The signer's certificate (PEM or DER); taken from a PKCS#12 key when omitted.")
    var cert: String?

    @Option(help: "Extra certificates to embed (intermediate CAs), PEM.")
    var chain: [String] = []

    @Option(help: "Pages to stamp: a number from 1, first, last, every, or a range such as 2-4.")
    var page: String = "last"

    @Option(name: .customLong("x-mm"), help: "Seal's left edge, in millimetres from the page's left edge (default 120).")
    var xMMOption: Double?

    @Option(name: .customLong("y-mm"), help: "Seal's bottom edge, in millimetres from the page's bottom edge (default 40).")
    var yMMOption: Double?

    var xMM: Double { xMMOption ?? 120 }
    var yMM: Double { yMMOption ?? 40 }

    @Option(
        help: ArgumentHelp(
            "Centre the seal on this text instead (repeatable: matches of each count); --x-mm/--y-mm/--page then "
                + "give a fallback position for documents without it.",
            valueName: "text"))
    var keyword: [String] = []

    @Option(help: "Which keyword match gets the seal, in reading order: first, last, all or a number.")
    var occurrence: String = "first"

    @Option(help: "Pages searched for --keyword: N or A-B (default all).")
    var pages: String?

    // Unconditional: the value may start with a minus (-15,0 moves the seal 15 mm left), which would otherwise be
    // read as the next option and reported as a missing value.
    @Option(
        name: .customLong("offset-mm"), parsing: .unconditional,
        help: "Move the seal from the keyword's centre: DX,DY millimetres (x right, y up; -15,0 is 15 mm left).")
    var offsetMM: String?

    @Option(
        help: ArgumentHelp(
            "Riding seal (骑缝章) instead: one signature whose picture is cut into slices, one slice on this edge of "
                + "each page of --riding-pages (left, right, top or bottom).", valueName: "edge"))
    var riding: String?

    @Option(name: .customLong("riding-pages"), help: "Pages carrying a riding-seal slice: all, odd, even, N or A-B (default all).")
    var ridingPages: String?

    @Option(help: "Number of riding-seal slices (default: one per selected page; more pages start the seal over).")
    var slices: Int?

    @Option(name: .customLong("margin-mm"), help: "Gap between the page edge and the riding-seal slice, in millimetres (default 0).")
    var marginMM: Double?

    @Option(name: .customLong("first-page-share"), help: "Share of the riding seal's picture on the first page, between 0 and 1 (default: equal slices).")
    var firstPageShare: Double?

    @Option(name: .customLong("width-mm"), help: "Seal width in millimetres (default: the seal's own size).")
    var widthMM: Double?

    @Option(name: .customLong("height-mm"), help: "Seal height in millimetres (default: keeps the image's ratio).")
    var heightMM: Double?

    @Option(help: "Image to draw instead of the seal's picture (PNG or JPEG; PDF only).")
    var image: String?

    @Option(help: """
        Signature format: pades-b-b, pades-b-t, pades-b-lt, pades-b-lta, pkcs7, sm2, ses (PDF); ses, ses-v1, sign \
        (OFD). PDF default: sm2 (SM2 CMS, what PDF readers recognise) with an SM2 key, pades-b-b (pades-b-t with \
        --tsa) otherwise; these draw the seal's picture, but only ses puts the seal itself into the signature (its \
        esID for --status-service checks). OFD default: ses (ses-v1 for a GM/T 0031 seal); --format sign signs without a seal.
        """)
    var format: String?

    @Option(help: "RFC 3161 time-stamping authority URL (adds a signature timestamp).")
    var tsa: String?

    @Flag(help: "Lock the document: no later signature can be added (PDF: only with a single signature).")
    var lock = false

    @Option(help: "Reason for signing (PDF /Reason).")
    var reason: String?

    @Option(help: "Location of signing (PDF /Location).")
    var location: String?

    @Flag(help: "Stamp a PDF whose cross-reference is broken after rebuilding it by scanning.")
    var allowRepair = false

    @Flag(help: "Replace OUT if it exists.")
    var force = false

    @Flag(help: "Print a JSON summary of what was written.")
    var json = false

    /// The riding seal --riding, --riding-pages, --slices, --margin-mm and --first-page-share describe (nil
    /// without --riding).
    func ridingSeal() throws -> RidingAnchor? {
        guard let riding else {
            if ridingPages != nil || slices != nil || marginMM != nil || firstPageShare != nil {
                throw ValidationError("--riding-pages, --slices, --margin-mm and --first-page-share go with --riding")
            }
            return nil
        }
        guard let edge = RidingAnchor.Edge(rawValue: riding) else {
            throw ValidationError("--riding '\(riding)' is not left, right, top or bottom")
        }
        guard keyword.isEmpty else { throw ValidationError("--riding and --keyword are alternatives: pass one of them") }
        var pages = RidingAnchor.Pages.all
        if let ridingPages {
            guard let parsed = RidingAnchor.Pages(ridingPages) else {
                throw ValidationError("--riding-pages takes all, odd, even, N or A-B with 1 ≤ A ≤ B, e.g. 2-5")
            }
            pages = parsed
        }
        if let slices, slices < 1 { throw ValidationError("--slices takes a number from 1") }
        if let marginMM, !(marginMM >= 0 && marginMM.isFinite) { throw ValidationError("--margin-mm takes 0 or more millimetres") }
        if let firstPageShare, !(firstPageShare > 0 && firstPageShare < 1) {
            throw ValidationError("--first-page-share takes a number between 0 and 1, e.g. 0.5")
        }
        return RidingAnchor(edge: edge, pages: pages, slices: slices, marginMM: marginMM ?? 0, firstPageShare: firstPageShare)
    }

    /// The placements --page, --x-mm … stand for (bottom-left millimetres, as in pipelines).
    func pageSelection() throws -> [Placement.Pages] {
        guard let pages = PageSelection.parse(page) else {
            throw ValidationError("--page '\(page)' is not \(PageSelection.help)")
        }
        return pages
    }

    func placements(widthMM defaultWidth: Double? = nil) throws -> [Placement] {
        if let riding = try ridingSeal() {
            return [Placement(pages: .last, xMM: 0, yMM: 0, widthMM: widthMM ?? defaultWidth, heightMM: heightMM, riding: riding)]
        }
        if let anchor = try keywordAnchor() {
            return [Placement(
                pages: try pageSelection().first ?? .last, xMM: xMM, yMM: yMM, widthMM: widthMM ?? defaultWidth,
                heightMM: heightMM, keyword: anchor)]
        }
        return try pageSelection().map {
            Placement(pages: $0, xMM: xMM, yMM: yMM, widthMM: widthMM ?? defaultWidth, heightMM: heightMM)
        }
    }

    /// The keyword placement --keyword, --occurrence, --pages and --offset-mm describe (nil without --keyword).
    func keywordAnchor() throws -> KeywordAnchor? {
        let keywords = keyword.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !keywords.isEmpty else {
            if !keyword.isEmpty { throw ValidationError("--keyword needs a text that is not only white space") }
            if pages != nil || offsetMM != nil || occurrence != "first" {
                throw ValidationError("--occurrence, --pages and --offset-mm go with --keyword")
            }
            return nil
        }
        guard let chosen = KeywordAnchor.Occurrence(occurrence) else {
            throw ValidationError("--occurrence '\(occurrence)' is not first, last, all or a number from 1")
        }
        var searched: ClosedRange<Int>?
        if let pages {
            guard let range = PageRangeArgument.parse(pages) else {
                throw ValidationError("--pages takes N or A-B with 1 ≤ A ≤ B, e.g. 2-5")
            }
            searched = range
        }
        var offset = (0.0, 0.0)
        if let offsetMM {
            let values = offsetMM.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count == 2, values.allSatisfy(\.isFinite) else {
                throw ValidationError("--offset-mm takes DX,DY in millimetres, e.g. 0,-15")
            }
            offset = (values[0], values[1])
        }
        return KeywordAnchor(
            keywords: keywords, occurrence: chosen, pages: searched, offsetXMM: offset.0, offsetYMM: offset.1,
            hasFallback: xMMOption != nil || yMMOption != nil)
    }
}

/// An error that means "could not run": bad input, unreadable files. Exits with 3.
struct CouldNotRun: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
