public import SealOFD
public import SealPDF

/// Turns placements measured in millimetres from the page's bottom-left corner (the one convention of the CLI and
/// of pipelines) into each engine's own placements.
public enum PlacementGeometry {
    /// The seal's drawn size: the placement's, else the picture's own width (40 mm when it records none) with the
    /// picture's aspect ratio.
    public static func size(
        of placement: Placement, pictureWidthMM: Double, pictureHeightMM: Double
    ) -> (width: Double, height: Double) {
        let width = placement.widthMM ?? (pictureWidthMM > 0 ? pictureWidthMM : 40)
        let height = placement.heightMM
            ?? (pictureWidthMM > 0 && pictureHeightMM > 0 ? width * pictureHeightMM / pictureWidthMM : width)
        return (width, height)
    }

    /// OFD placements, one per covered page. OFD page space runs from the top-left corner of the page's physical
    /// box (`PhysicalBox`/`Area`), so the seal's top edge is `box.y + box.height − y − height`.
    public static func ofdPlacements(
        _ placements: [Placement], pages: [OFDPage], pictureWidthMM: Double, pictureHeightMM: Double
    ) -> [OFDStampPlacement] {
        var result: [OFDStampPlacement] = []
        for placement in placements {
            let (width, height) = size(of: placement, pictureWidthMM: pictureWidthMM, pictureHeightMM: pictureHeightMM)
            for number in placement.pageNumbers(pageCount: pages.count) {
                let box = pages[number - 1].physicalBox
                result.append(OFDStampPlacement(
                    page: .number(number), xMM: box.xMM + placement.xMM,
                    yMM: box.yMM + box.heightMM - placement.yMM - height, widthMM: width, heightMM: height))
            }
        }
        return result
    }

    /// PDF placements (one signature each), in the PDF engine's own bottom-left convention. `pageCount` is asked
    /// only when a placement covers every page.
    public static func pdfPlacements(
        _ placements: [Placement], pageCount: () throws -> Int
    ) rethrows -> [PDFPlacement] {
        var result: [PDFPlacement] = []
        for placement in placements {
            let pages: [PDFPlacement.Page]
            switch placement.pages {
            case .last: pages = [.last]
            case .first: pages = [.number(1)]
            case .page(let n): pages = [.number(n)]
            case .every: pages = placement.pageNumbers(pageCount: try pageCount()).map { .number($0) }
            }
            for page in pages {
                result.append(PDFPlacement(
                    page: page, xMM: placement.xMM, yMM: placement.yMM, widthMM: placement.widthMM,
                    heightMM: placement.heightMM))
            }
        }
        return result
    }

    // MARK: - Keyword placements

    /// PDF placements with keyword placements resolved on the document (text location through SealPDF's
    /// `PDFTextLocator`); fixed placements as in ``pdfPlacements(_:pageCount:)``.
    ///
    /// - Parameter aspectRatio: width / height of the seal picture (sizes a keyword seal without a height).
    /// - Throws: `PDFStampError.keywordNotFound` for a keyword placement with no match and no fallback.
    public static func pdfPlacements(
        _ placements: [Placement], document: PDFDocument, aspectRatio: Double
    ) throws -> [PDFPlacement] {
        func count() throws -> Int {
            do {
                return try document.pages().count
            } catch {
                throw PDFStampError(.unreadableDocument, "\(error.code): \(error.reason)")
            }
        }
        var result: [PDFPlacement] = []
        for placement in placements where placement.riding == nil {
            guard let anchor = placement.keyword else {
                result += try pdfPlacements([placement], pageCount: count)
                continue
            }
            let keyword = PDFKeywordPlacement(
                keywords: anchor.keywords, occurrence: anchor.occurrence, pages: anchor.pages,
                offsetXMM: anchor.offsetXMM, offsetYMM: anchor.offsetYMM, widthMM: placement.widthMM,
                heightMM: placement.heightMM)
            if let resolved = try resolve(keyword, document: document, aspectRatio: aspectRatio, orNilIf: anchor.hasFallback) {
                result += resolved
            } else {
                result += try pdfPlacements([placement], pageCount: count)
            }
        }
        return result
    }

    /// The PDF riding seal a placement with ``Placement/riding`` stands for (nil for any other placement).
    public static func pdfRiding(_ placement: Placement) -> PDFRidingSeal? {
        guard let riding = placement.riding else { return nil }
        let pages: PDFRidingSeal.Pages =
            switch riding.pages {
            case .all: .all
            case .odd: .odd
            case .even: .even
            case .range(let range): .range(range)
            }
        return PDFRidingSeal(
            edge: PDFRidingSeal.Edge(rawValue: riding.edge.rawValue) ?? .right, pages: pages, slices: riding.slices,
            marginMM: riding.marginMM, firstPageShare: riding.firstPageShare, widthMM: placement.widthMM,
            heightMM: placement.heightMM)
    }

    /// OFD placements with keyword placements resolved on the document (SealOFD's `OFDTextLocator`).
    ///
    /// - Throws: `OFDError.keywordNotFound` for a keyword placement with no match and no fallback.
    public static func ofdPlacements(
        _ placements: [Placement], bytes: [UInt8], pages: [OFDPage], pictureWidthMM: Double, pictureHeightMM: Double
    ) throws -> [OFDStampPlacement] {
        var result: [OFDStampPlacement] = []
        for placement in placements {
            if let riding = placement.riding {
                let (width, height) = size(of: placement, pictureWidthMM: pictureWidthMM, pictureHeightMM: pictureHeightMM)
                let numbers: [Int] =
                    switch riding.pages {
                    case .all: Array(1...max(pages.count, 1)).filter { $0 <= pages.count }
                    case .odd: stride(from: 1, through: pages.count, by: 2).map { $0 }
                    case .even: stride(from: 2, through: pages.count, by: 2).map { $0 }
                    case .range(let range): Array(range)
                    }
                result += try OFDRidingSeal.placements(
                    pages: pages, pageNumbers: numbers, edge: OFDRidingSeal.Edge(rawValue: riding.edge.rawValue) ?? .right,
                    slices: riding.slices, marginMM: riding.marginMM, firstPageShare: riding.firstPageShare,
                    widthMM: width, heightMM: height)
                continue
            }
            guard let anchor = placement.keyword else {
                result += ofdPlacements(
                    [placement], pages: pages, pictureWidthMM: pictureWidthMM, pictureHeightMM: pictureHeightMM)
                continue
            }
            let (width, height) = size(of: placement, pictureWidthMM: pictureWidthMM, pictureHeightMM: pictureHeightMM)
            let keyword = OFDKeywordPlacement(
                keywords: anchor.keywords, occurrence: anchor.occurrence, pages: anchor.pages, offsetXMM: anchor.offsetXMM,
                offsetYMM: anchor.offsetYMM)
            if let resolved = try resolve(keyword, bytes: bytes, width: width, height: height, orNilIf: anchor.hasFallback) {
                result += resolved
            } else {
                result += ofdPlacements(
                    [placement], pages: pages, pictureWidthMM: pictureWidthMM, pictureHeightMM: pictureHeightMM)
            }
        }
        return result
    }

    /// The keyword's placements, or nil when it is not found and a fallback exists.
    private static func resolve(
        _ keyword: PDFKeywordPlacement, document: PDFDocument, aspectRatio: Double, orNilIf hasFallback: Bool
    ) throws(PDFStampError) -> [PDFPlacement]? {
        do {
            return try keyword.resolve(document, aspectRatio: aspectRatio)
        } catch {
            if hasFallback && error.code == .keywordNotFound { return nil }
            throw error
        }
    }

    private static func resolve(
        _ keyword: OFDKeywordPlacement, bytes: [UInt8], width: Double, height: Double, orNilIf hasFallback: Bool
    ) throws(OFDError) -> [OFDStampPlacement]? {
        do {
            return try keyword.resolve(bytes, widthMM: width, heightMM: height)
        } catch {
            if hasFallback && error.code == .keywordNotFound { return nil }
            throw error
        }
    }
}
