import ArgumentParser
import ElectronicSeal
import Foundation
import SealOFD
import SealPDF
import SealReport

/// `sealpress locate FILE --keyword TEXT`: where keywords are on the pages, without signing.
struct LocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locate",
        abstract: "Find keywords on the pages of a PDF or OFD and print their boxes (nothing is signed).",
        discussion: """
            Operators test keyword placement on a template with it: each match is printed with its page and its \
            box in millimetres from the bottom-left corner of the page as displayed (PDF: CropBox, /Rotate and \
            /UserUnit applied; OFD: the page's PhysicalBox, converted from OFD's top-left origin). White space is ignored in the keyword and in the page text, so a keyword split \
            across text operators or kerning is found.

            Exit status: 0 when every keyword was found, 1 when one was not, 3 when the file could not be read.
            """
    )

    @Argument(help: "The document (PDF or OFD).")
    var file: String

    @Option(help: "Text to find; repeat for several.")
    var keyword: [String] = []

    @Option(help: "Pages to search: N or A-B (1-based; default all).")
    var pages: String?

    @Option(help: "PDF password for encrypted documents.")
    var password: String?

    @Flag(help: "Print the matches as JSON.")
    var json = false

    @Flag(help: "Also print each searched page's text in content order.")
    var text = false

    func validate() throws {
        guard !keyword.isEmpty || text else { throw ValidationError("give at least one --keyword (or --text)") }
        if let pages, PageRangeArgument.parse(pages) == nil {
            throw ValidationError("--pages takes N or A-B with 1 ≤ A ≤ B, e.g. 2-5")
        }
    }

    func run() throws {
        let bytes = try OFDCommandFiles.read(file, what: "document")
        let range = pages.flatMap(PageRangeArgument.parse)
        let found: (matches: [PDFKeywordMatch], texts: [(Int, String)])
        switch DocumentFormat.detect(bytes) {
        case .pdf:
            do {
                found = try locate(bytes, range: range)
            } catch {
                throw CouldNotRun("cannot read the text of \(file): \(error.reason)")
            }
        case .ofd:
            do {
                found = try locateOFD(bytes, range: range)
            } catch {
                throw CouldNotRun("cannot read the text of \(file): \(error.reason)")
            }
        case nil:
            throw CouldNotRun("\(file) is neither a PDF nor an OFD document")
        }
        let matches = found.matches
        let pageTexts = found.texts
        let missing = keyword.filter { wanted in !matches.contains { $0.keyword == wanted } }
        if json {
            let object: [String: Any] = [
                "file": file,
                "matches": matches.map { match in
                    [
                        "keyword": match.keyword, "page": match.page, "x_mm": Self.round(match.box.xMM),
                        "y_mm": Self.round(match.box.yMM), "width_mm": Self.round(match.box.widthMM),
                        "height_mm": Self.round(match.box.heightMM),
                        "centre_mm": [Self.round(match.box.centreMM.x), Self.round(match.box.centreMM.y)],
                    ] as [String: Any]
                },
                "not_found": missing,
                "pages": pageTexts.map { ["page": $0.0, "text": $0.1] as [String: Any] },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            FileHandle.standardOutput.write(data)
            print()
        } else {
            for (page, pageText) in pageTexts { print("page \(page) text: \(pageText)") }
            for match in matches {
                let box = match.box
                print(
                    "\(match.keyword)\tpage \(match.page)\tx \(Self.format(box.xMM)) y \(Self.format(box.yMM)) "
                        + "w \(Self.format(box.widthMM)) h \(Self.format(box.heightMM)) mm\t"
                        + "centre \(Self.format(box.centreMM.x)),\(Self.format(box.centreMM.y))")
            }
            for word in missing { print("\(word)\tnot found") }
        }
        if !missing.isEmpty { throw ExitCode(1) }
    }

    private func locate(_ bytes: [UInt8], range: ClosedRange<Int>?) throws(PDFError)
        -> (matches: [PDFKeywordMatch], texts: [(Int, String)])
    {
        let document = try PDFDocument(bytes: bytes, options: PDFReadOptions(password: password))
        let locator = PDFTextLocator(document: document)
        let matches = try locator.find(keyword, pages: range)
        var texts: [(Int, String)] = []
        if text {
            let count = try locator.pageCount()
            for page in KeywordMatcher.pages(range, count: count).map(Array.init) ?? [] {
                texts.append((page, try locator.text(page: page)))
            }
        }
        return (matches, texts)
    }

    /// OFD matches, converted to the same bottom-left page space as PDF ones.
    private func locateOFD(_ bytes: [UInt8], range: ClosedRange<Int>?) throws(OFDError)
        -> (matches: [PDFKeywordMatch], texts: [(Int, String)])
    {
        let locator = try OFDTextLocator(bytes: bytes)
        let matches = try locator.find(keyword, pages: range).map { match in
            let physical = locator.document.pages[match.page - 1].physicalBox
            let box = PDFTextBox(
                xMM: match.box.xMM - physical.xMM,
                yMM: physical.yMM + physical.heightMM - match.box.yMM - match.box.heightMM,
                widthMM: match.box.widthMM, heightMM: match.box.heightMM)
            return PDFKeywordMatch(page: match.page, keyword: match.keyword, box: box)
        }
        var texts: [(Int, String)] = []
        if text {
            let count = locator.pageCount
            for page in KeywordMatcher.pages(range, count: count).map(Array.init) ?? [] {
                texts.append((page, try locator.text(page: page)))
            }
        }
        return (matches, texts)
    }

    static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// `--pages` values: `N` or `A-B`.
enum PageRangeArgument {
    static func parse(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 1, let page = Int(parts[0]), page >= 1 { return page...page }
        guard parts.count == 2, let first = Int(parts[0]), let last = Int(parts[1]), first >= 1, first <= last else {
            return nil
        }
        return first...last
    }
}
