import ElectronicSeal

/// A seal placed on text: centred on where a keyword is printed (关键字签章), resolved per document into
/// concrete ``PDFPlacement``s.
///
/// Matches of all keywords are taken in reading order — by page, then top to bottom, then left to right — and
/// ``occurrence`` picks among them. The seal is centred on the match's box, moved by the offset (millimetres,
/// x to the right, y upwards) and kept inside the page. Pages are read only as far as ``occurrence`` needs
/// (`first` stops at the first page with a match, `last` searches from the end), so a later page's content is
/// not interpreted once the answer is known.
public struct PDFKeywordPlacement: Sendable, Hashable {
    /// Which matches get a seal (ElectronicSeal's ``KeywordOccurrence``, shared with OFD and pipelines).
    public typealias Occurrence = KeywordOccurrence

    public var keywords: [String]
    public var occurrence: Occurrence
    /// 1-based pages to search; nil searches every page.
    public var pages: ClosedRange<Int>?
    /// Offset of the seal's centre from the keyword box's centre, millimetres (x right, y up).
    public var offsetXMM: Double
    public var offsetYMM: Double
    /// Seal size; nil width takes 40 mm, nil height keeps the picture's aspect ratio.
    public var widthMM: Double?
    public var heightMM: Double?
    /// Used when no keyword is found; nil makes that a `keywordNotFound` error.
    public var fallback: PDFPlacement?

    public init(
        keywords: [String], occurrence: Occurrence = .first, pages: ClosedRange<Int>? = nil, offsetXMM: Double = 0,
        offsetYMM: Double = 0, widthMM: Double? = nil, heightMM: Double? = nil, fallback: PDFPlacement? = nil
    ) {
        self.keywords = keywords
        self.occurrence = occurrence
        self.pages = pages
        self.offsetXMM = offsetXMM
        self.offsetYMM = offsetYMM
        self.widthMM = widthMM
        self.heightMM = heightMM
        self.fallback = fallback
    }

    /// The placements for one document.
    ///
    /// - Parameters:
    ///   - bytes: the PDF to stamp (opened here; pass the same options the stamp uses).
    ///   - aspectRatio: width / height of the seal picture, for a nil ``heightMM``.
    /// - Throws: ``PDFStampError`` `keywordNotFound` (no match and no fallback), `unreadableDocument`,
    ///   `encryptedNeedsPassword`.
    public func resolve(_ bytes: [UInt8], options: PDFReadOptions = .init(), aspectRatio: Double) throws(PDFStampError)
        -> [PDFPlacement]
    {
        let document: PDFDocument
        do {
            document = try PDFDocument(bytes: bytes, options: options)
        } catch {
            switch error.code {
            case .passwordRequired, .wrongPassword:
                throw PDFStampError(.encryptedNeedsPassword, "the PDF is encrypted: \(error.reason)")
            default:
                throw PDFStampError(.unreadableDocument, "cannot read the PDF: \(error.reason)")
            }
        }
        return try resolve(document, aspectRatio: aspectRatio)
    }

    /// The placements for an opened document (see ``resolve(_:options:aspectRatio:)``).
    public func resolve(_ document: PDFDocument, aspectRatio: Double) throws(PDFStampError) -> [PDFPlacement] {
        let matches: [PDFKeywordMatch]
        let pageList: [PDFPage]
        do {
            let locator = PDFTextLocator(document: document)
            // Pages are read only as far as the occurrence needs: matches sort by page first, so the first (or
            // N-th) match is on the first page(s) that have any, and the last one on the last such page.
            switch occurrence {
            case .first: matches = try locator.find(keywords, pages: pages, backwards: false) { $0 >= 1 }
            case .number(let n): matches = try locator.find(keywords, pages: pages, backwards: false) { $0 >= n }
            case .last: matches = try locator.find(keywords, pages: pages, backwards: true) { $0 >= 1 }
            case .all: matches = try locator.find(keywords, pages: pages)
            }
            pageList = try locator.pages()
        } catch {
            switch error.code {
            case .passwordRequired, .wrongPassword:
                throw PDFStampError(.encryptedNeedsPassword, "the PDF is encrypted: \(error.reason)")
            default:
                throw PDFStampError(.unreadableDocument, "cannot read the text of the PDF: \(error.reason)")
            }
        }
        let ordered = matches.sorted { a, b in
            if a.page != b.page { return a.page < b.page }
            let ay = a.box.centreMM.y, by = b.box.centreMM.y
            if abs(ay - by) > 1 { return ay > by }
            return a.box.xMM < b.box.xMM
        }
        let chosen = occurrence.select(ordered)
        guard !chosen.isEmpty else {
            if let fallback { return [fallback] }
            let list = keywords.map { "“\($0)”" }.joined(separator: ", ")
            let scope = pages.map { " on pages \($0.lowerBound)–\($0.upperBound)" } ?? ""
            let count = occurrence == .first || occurrence == .last || occurrence == .all
                ? "" : " (occurrence \(occurrence) asked, \(ordered.count) found)"
            throw PDFStampError(
                .keywordNotFound,
                "keyword \(list) not found\(scope)\(count); check the template with `sealpress locate`, or give a "
                    + "fallback position")
        }
        let width = widthMM ?? heightMM.map { $0 * aspectRatio } ?? PDFPlacement.defaultWidthMM
        let height = heightMM ?? width / max(aspectRatio, 1e-9)
        return chosen.map { match in
            // The locator measures /UserUnit-scaled millimetres; placements are in unscaled ones.
            let page = pageList[match.page - 1]
            let unit = page.dictionary["UserUnit"]?.numberValue.flatMap { $0 > 0 && $0.isFinite ? $0 : nil } ?? 1
            let crop = page.cropBox
            let sideways = (page.rotate / 90) % 2 != 0
            let pageWidth = (sideways ? crop.heightPoints : crop.widthPoints) / PDFPlacement.pointsPerMM
            let pageHeight = (sideways ? crop.widthPoints : crop.heightPoints) / PDFPlacement.pointsPerMM
            let centre = match.box.centreMM
            var x = centre.x / unit + offsetXMM - width / 2
            var y = centre.y / unit + offsetYMM - height / 2
            x = min(max(x, 0), max(pageWidth - width, 0))
            y = min(max(y, 0), max(pageHeight - height, 0))
            return PDFPlacement(page: .number(match.page), xMM: x, yMM: y, widthMM: width, heightMM: height)
        }
    }
}
