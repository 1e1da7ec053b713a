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

    func pages() throws(PDFError) -> [PDFPage] {
        if let pageList { return pageList }
        let list = try document.pages()
        pageList = list
        return list
    }

    /// Interprets a page; its glyphs are in `interpreter.glyphs` afterwards.
    private func interpret(page: Int) throws(PDFError) -> PDFPage {
        let list = try pages()
        guard page >= 1, page <= list.count else {
            throw PDFError(.invalidArgument, "page \(page) does not exist (the document has \(list.count))")
        }
        let pdfPage = list[page - 1]
        try interpreter.run(page: pdfPage)
        return pdfPage
    }

    /// The glyphs of a page in content order.
    ///
    /// - Parameter page: 1-based page number.
    /// - Throws: ``PDFError`` `.invalidArgument` for a page that does not exist, `.limitExceeded` when the page's
    ///   content passes ``PDFTextLimits``, or a reading error.
    public func glyphs(page: Int) throws(PDFError) -> [PDFTextGlyph] {
        let mapping = PageMapping(page: try interpret(page: page))
        return interpreter.glyphs.map { glyph in
            PDFTextGlyph(text: interpreter.text(of: glyph), box: mapping.box(glyph.corners))
        }
    }

    /// The page's text in content order (no spaces added between show operators).
    public func text(page: Int) throws(PDFError) -> String {
        _ = try interpret(page: page)
        return interpreter.glyphs.map { interpreter.text(of: $0) }.joined()
    }

    /// Every occurrence of each keyword on the chosen pages, page by page in content order.
    ///
    /// - Parameters:
    ///   - keywords: the texts to find (white space in them is ignored).
    ///   - pages: 1-based page numbers to search; nil searches every page (pages beyond the end are ignored).
    public func find(_ keywords: [String], pages: ClosedRange<Int>? = nil) throws(PDFError) -> [PDFKeywordMatch] {
        try find(keywords, pages: pages, backwards: false) { _ in false }
    }

    /// Occurrences of the keywords page by page — from the first chosen page, or from the last when `backwards` —
    /// stopping after the first page at which `enough(matches found so far)` holds; later pages are not read.
    func find(
        _ keywords: [String], pages: ClosedRange<Int>?, backwards: Bool, until enough: (Int) -> Bool
    ) throws(PDFError) -> [PDFKeywordMatch] {
        let count = try self.pages().count
        guard keywords.contains(where: { !KeywordMatcher.fold($0).isEmpty }), count > 0 else { return [] }
        guard let range = KeywordMatcher.pages(pages, count: count) else { return [] }
        var matches: [PDFKeywordMatch] = []
        for page in backwards ? Array(range.reversed()) : Array(range) {
            let mapping = PageMapping(page: try interpret(page: page))
            // Only the matched glyphs' boxes are mapped to millimetres.
            let glyphs = interpreter.glyphs
            var folded = KeywordMatcher.FoldedGlyphs(capacity: glyphs.count)
            for (index, glyph) in glyphs.enumerated() {
                switch glyph.text {
                case .scalar(let scalar): folded.append(scalar, glyph: index)
                case .long(let text): folded.append(interpreter.longTexts[text], glyph: index)
                }
            }
            for match in KeywordMatcher.matches(of: keywords, in: folded) {
                var box = mapping.box(glyphs[match.glyphs.lowerBound].corners)
                for index in match.glyphs { box = box.union(mapping.box(glyphs[index].corners)) }
                matches.append(PDFKeywordMatch(page: page, keyword: match.keyword, box: box))
            }
            if enough(matches.count) { break }
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

    func box(_ corners: TextInterpreter.Quad) -> PDFTextBox {
        let p0 = displayed(corners.p0.x, corners.p0.y), p1 = displayed(corners.p1.x, corners.p1.y)
        let p2 = displayed(corners.p2.x, corners.p2.y), p3 = displayed(corners.p3.x, corners.p3.y)
        let minX = Self.least(p0.x, p1.x, p2.x, p3.x), maxX = Self.greatest(p0.x, p1.x, p2.x, p3.x)
        let minY = Self.least(p0.y, p1.y, p2.y, p3.y), maxY = Self.greatest(p0.y, p1.y, p2.y, p3.y)
        return PDFTextBox(xMM: minX * unit, yMM: minY * unit, widthMM: (maxX - minX) * unit, heightMM: (maxY - minY) * unit)
    }

    // As `Sequence.min()` / `max()` over the four values (first of equals wins, NaN handled alike).
    private static func least(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> Double {
        var result = a
        if b < result { result = b }
        if c < result { result = c }
        if d < result { result = d }
        return result
    }

    private static func greatest(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> Double {
        var result = a
        if result < b { result = b }
        if result < c { result = c }
        if result < d { result = d }
        return result
    }
}
