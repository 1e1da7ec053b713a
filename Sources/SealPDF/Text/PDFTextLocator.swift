import ElectronicSeal
/// Finds text on PDF pages: every glyph's box, and the boxes of keywords.
///
/// The content streams (and the Form XObjects they draw) are interpreted to place each glyph (see
/// Docs/pdf-signing.md, "Text location"). Keywords match the page's text in content order with white space
/// ignored on both sides, so a keyword split over several show operators, `TJ` kerning or spaces is found;
/// compatibility forms (ligatures, full-width Latin) are folded first. One locator caches fonts and forms and
/// is meant for one thread.
public final class PDFTextLocator {
    public let document: PDFDocument
    public let limits: PDFTextLimits
    private let interpreter: TextInterpreter
    private var pageList: [PDFPage]?

    public init(document: PDFDocument, limits: PDFTextLimits = .init()) {
        self.document = document
        self.limits = limits
        self.interpreter = TextInterpreter(document: document, limits: limits)
    }

    /// The number of pages.
    public func pageCount() throws(PDFError) -> Int { try pages().count }

    private func pages() throws(PDFError) -> [PDFPage] {
        if let pageList { return pageList }
        let list = try document.pages()
        pageList = list
        return list
    }

    /// The glyphs of a page in content order.
    ///
    /// - Parameter page: 1-based page number.
    /// - Throws: ``PDFError`` `.invalidArgument` for a page that does not exist, `.limitExceeded` when the page's
    ///   content passes ``PDFTextLimits``, or a reading error.
    public func glyphs(page: Int) throws(PDFError) -> [PDFTextGlyph] {
        let list = try pages()
        guard page >= 1, page <= list.count else {
            throw PDFError(.invalidArgument, "page \(page) does not exist (the document has \(list.count))")
        }
        let pdfPage = list[page - 1]
        try interpreter.run(page: pdfPage)
        let mapping = PageMapping(page: pdfPage)
        return interpreter.glyphs.map { glyph in PDFTextGlyph(text: glyph.text, box: mapping.box(glyph.corners)) }
    }

    /// The page's text in content order (no spaces added between show operators).
    public func text(page: Int) throws(PDFError) -> String {
        try glyphs(page: page).map(\.text).joined()
    }

    /// Every occurrence of each keyword on the chosen pages, page by page in content order.
    ///
    /// - Parameters:
    ///   - keywords: the texts to find (white space in them is ignored).
    ///   - pages: 1-based page numbers to search; nil searches every page (pages beyond the end are ignored).
    public func find(_ keywords: [String], pages: ClosedRange<Int>? = nil) throws(PDFError) -> [PDFKeywordMatch] {
        let count = try self.pages().count
        guard keywords.contains(where: { !KeywordMatcher.fold($0).isEmpty }), count > 0 else { return [] }
        let range = pages.map { max(1, $0.lowerBound)...min(count, $0.upperBound) } ?? 1...count
        guard range.lowerBound <= range.upperBound else { return [] }
        var matches: [PDFKeywordMatch] = []
        for page in range {
            let glyphs = try self.glyphs(page: page)
            for match in KeywordMatcher.matches(of: keywords, in: glyphs.map(\.text)) {
                var box = glyphs[match.glyphs.lowerBound].box
                for index in match.glyphs { box = box.union(glyphs[index].box) }
                matches.append(PDFKeywordMatch(page: page, keyword: match.keyword, box: box))
            }
        }
        return matches
    }
}

/// From the page's default user space to millimetres on the displayed page.
struct PageMapping {
    let crop: PDFRect
    let quarterTurns: Int
    let unit: Double

    init(page: PDFPage) {
        crop = page.cropBox
        quarterTurns = ((page.rotate / 90) % 4 + 4) % 4
        let userUnit = page.dictionary["UserUnit"]?.numberValue ?? 1
        unit = (userUnit > 0 && userUnit.isFinite ? userUnit : 1) * 25.4 / 72
    }

    /// A user-space point as displayed (points from the displayed bottom-left, before /UserUnit).
    func displayed(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        switch quarterTurns {
        case 1: (y - crop.lly, crop.urx - x)
        case 2: (crop.urx - x, crop.ury - y)
        case 3: (crop.ury - y, x - crop.llx)
        default: (x - crop.llx, y - crop.lly)
        }
    }

    func box(_ corners: [(x: Double, y: Double)]) -> PDFTextBox {
        let points = corners.map { displayed($0.x, $0.y) }
        let minX = points.map(\.x).min() ?? 0, maxX = points.map(\.x).max() ?? 0
        let minY = points.map(\.y).min() ?? 0, maxY = points.map(\.y).max() ?? 0
        return PDFTextBox(xMM: minX * unit, yMM: minY * unit, widthMM: (maxX - minX) * unit, heightMM: (maxY - minY) * unit)
    }
}
