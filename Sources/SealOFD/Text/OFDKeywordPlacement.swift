import ElectronicSeal
/// A seal placed on text in an OFD (关键字签章): centred on a keyword's box, resolved per document into
/// ``OFDStampPlacement``s. Same semantics as SealPDF's `PDFKeywordPlacement`: matches of all keywords in reading
/// order (page, top to bottom, left to right), ``occurrence`` picks among them, the offset moves the seal's centre
/// (millimetres, x right, y up) and the seal is kept inside the page.
public struct OFDKeywordPlacement: Sendable, Hashable {
    public typealias Occurrence = KeywordOccurrence

    public var keywords: [String]
    public var occurrence: Occurrence
    public var pages: ClosedRange<Int>?
    public var offsetXMM: Double
    public var offsetYMM: Double
    /// Used when no keyword is found; nil makes that a `keywordNotFound` error.
    public var fallback: OFDStampPlacement?

    public init(
        keywords: [String], occurrence: Occurrence = .first, pages: ClosedRange<Int>? = nil, offsetXMM: Double = 0,
        offsetYMM: Double = 0, fallback: OFDStampPlacement? = nil
    ) {
        self.keywords = keywords
        self.occurrence = occurrence
        self.pages = pages
        self.offsetXMM = offsetXMM
        self.offsetYMM = offsetYMM
        self.fallback = fallback
    }

    /// The placements for one document, each `widthMM` × `heightMM` (the seal's size on paper).
    ///
    /// - Throws: ``OFDError`` `keywordNotFound` when nothing matches and there is no fallback; package errors.
    public func resolve(_ bytes: [UInt8], widthMM: Double, heightMM: Double) throws(OFDError) -> [OFDStampPlacement] {
        let locator = try OFDTextLocator(bytes: bytes)
        let ordered = try locator.find(keywords, pages: pages).sorted { a, b in
            if a.page != b.page { return a.page < b.page }
            let ay = a.box.yMM + a.box.heightMM / 2, by = b.box.yMM + b.box.heightMM / 2
            if abs(ay - by) > 1 { return ay < by }
            return a.box.xMM < b.box.xMM
        }
        let chosen = occurrence.select(ordered)
        guard !chosen.isEmpty else {
            if let fallback { return [fallback] }
            let list = keywords.map { "“\($0)”" }.joined(separator: ", ")
            let scope = pages.map { " on pages \($0.lowerBound)–\($0.upperBound)" } ?? ""
            throw OFDError(
                .keywordNotFound,
                "keyword \(list) not found\(scope); check the template with `sealpress locate`, or give a fallback position")
        }
        return chosen.map { match in
            let physical = locator.document.pages[match.page - 1].physicalBox
            var x = match.box.xMM + match.box.widthMM / 2 + offsetXMM - widthMM / 2
            var y = match.box.yMM + match.box.heightMM / 2 - offsetYMM - heightMM / 2
            x = min(max(x, physical.xMM), max(physical.xMM + physical.widthMM - widthMM, physical.xMM))
            y = min(max(y, physical.yMM), max(physical.yMM + physical.heightMM - heightMM, physical.yMM))
            return OFDStampPlacement(page: .number(match.page), xMM: x, yMM: y, widthMM: widthMM, heightMM: heightMM)
        }
    }
}
