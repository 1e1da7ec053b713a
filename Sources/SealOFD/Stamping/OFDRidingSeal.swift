/// A riding seal (骑缝章): one seal image cut into vertical strips, one per page, each shown at the right edge of
/// its page so that the strips join into the whole seal when the pages are fanned out.
///
/// Page i of n shows strip i: `Boundary.x = pageRight - strip × (i + 1)` and `Clip.x = strip × i`, so the visible
/// part always lies against the right edge (the layout of ofdrw's riding-seal samples).
public enum OFDRidingSeal {
    /// Placements for every page of `pageRange` (1-based, all pages when nil) of a document.
    ///
    /// - Throws: ``OFDError`` for an unreadable document, `pageNotFound` for a bad range, `invalidPlacement`
    ///   for fewer than two pages or a non-positive size.
    public static func placements(
        for document: [UInt8], pages pageRange: ClosedRange<Int>? = nil, yMM: Double, widthMM: Double,
        heightMM: Double
    ) throws(OFDError) -> [OFDStampPlacement] {
        let model = try OFDDocument(package: OFDPackage(document)) { number, _ in pageRange?.contains(number) ?? true }
        let range = pageRange ?? 1...max(model.pages.count, 1)
        guard range.lowerBound >= 1, range.upperBound <= model.pages.count else {
            throw OFDError(.pageNotFound, "pages \(range) are not all in the document (\(model.pages.count) pages)")
        }
        guard range.count >= 2 else { throw OFDError(.invalidPlacement, "a riding seal needs at least two pages") }
        guard widthMM > 0, heightMM > 0, widthMM.isFinite, heightMM.isFinite else {
            throw OFDError(.invalidPlacement, "the seal needs a positive size")
        }
        let strip = widthMM / Double(range.count)
        return range.enumerated().map { index, number in
            let box = model.pages[number - 1].physicalBox
            return OFDStampPlacement(
                page: .number(number), xMM: box.xMM + box.widthMM - strip * Double(index + 1), yMM: yMM,
                widthMM: widthMM, heightMM: heightMM,
                clip: OFDBox(xMM: strip * Double(index), yMM: 0, widthMM: strip, heightMM: heightMM))
        }
    }

    /// The page edge the slices sit on.
    public enum Edge: String, Sendable, Hashable, CaseIterable {
        case left, right, top, bottom
    }

    /// Placements for a riding seal on any edge, with the same options as SealPDF's `PDFRidingSeal`: slices in
    /// reading order (the first selected page shows the left-most or top-most slice), `slices` (default one per
    /// selected page; further pages start the seal over), `marginMM` between the page edge and the slice,
    /// `firstPageShare` of the picture on the first page of each group (the rest shared equally). The seal is centred
    /// along the edge.
    ///
    /// - Parameter pageNumbers: the selected 1-based pages, in order.
    /// - Throws: `pageNotFound` for a page outside the document, `invalidPlacement` for bad options.
    public static func placements(
        pages: [OFDPage], pageNumbers: [Int], edge: Edge, slices: Int? = nil, marginMM: Double = 0,
        firstPageShare: Double? = nil, widthMM: Double, heightMM: Double
    ) throws(OFDError) -> [OFDStampPlacement] {
        guard !pageNumbers.isEmpty else { throw OFDError(.pageNotFound, "no page is selected for the riding seal") }
        if let bad = pageNumbers.first(where: { $0 < 1 || $0 > pages.count }) {
            throw OFDError(.pageNotFound, "page \(bad) is not in the document (\(pages.count) pages)")
        }
        return try layout(
            pages: pages, pageNumbers: pageNumbers, edge: edge, slices: slices, marginMM: marginMM,
            firstPageShare: firstPageShare, widthMM: widthMM, heightMM: heightMM)
    }

    private static func layout(
        pages: [OFDPage], pageNumbers: [Int], edge: Edge, slices: Int?, marginMM: Double, firstPageShare: Double?,
        widthMM: Double, heightMM: Double
    ) throws(OFDError) -> [OFDStampPlacement] {
        let count = slices ?? pageNumbers.count
        guard count >= 1, count <= pageNumbers.count else {
            throw OFDError(
                .invalidPlacement,
                "\(count) slices need at least as many selected pages (\(pageNumbers.count) are selected)")
        }
        guard widthMM > 0, heightMM > 0, widthMM.isFinite, heightMM.isFinite else {
            throw OFDError(.invalidPlacement, "the seal needs a positive size")
        }
        guard marginMM >= 0, marginMM.isFinite else {
            throw OFDError(.invalidPlacement, "the margin must be 0 or more")
        }
        var shares = Array(repeating: 1 / Double(count), count: count)
        if let first = firstPageShare, count > 1 {
            guard first > 0, first < 1 else {
                throw OFDError(
                    .invalidPlacement, "the first page's share must be between 0 and 1 (exclusive), e.g. 0.5")
            }
            shares = [first] + Array(repeating: (1 - first) / Double(count - 1), count: count - 1)
        }
        return pageNumbers.enumerated().map { position, number in
            let index = position % count
            let before = shares[..<index].reduce(0, +)
            let box = pages[number - 1].physicalBox
            // OFD page space: origin top-left, y downwards; the boundary is the whole seal, the clip its slice.
            switch edge {
            case .left, .right:
                let strip = widthMM * shares[index]
                let visibleX = edge == .right ? box.xMM + box.widthMM - marginMM - strip : box.xMM + marginMM
                return OFDStampPlacement(
                    page: .number(number), xMM: visibleX - widthMM * before,
                    yMM: box.yMM + (box.heightMM - heightMM) / 2,
                    widthMM: widthMM, heightMM: heightMM,
                    clip: OFDBox(xMM: widthMM * before, yMM: 0, widthMM: strip, heightMM: heightMM))
            case .top, .bottom:
                let band = heightMM * shares[index]
                let visibleY = edge == .top ? box.yMM + marginMM : box.yMM + box.heightMM - marginMM - band
                return OFDStampPlacement(
                    page: .number(number), xMM: box.xMM + (box.widthMM - widthMM) / 2,
                    yMM: visibleY - heightMM * before,
                    widthMM: widthMM, heightMM: heightMM,
                    clip: OFDBox(xMM: 0, yMM: heightMM * before, widthMM: widthMM, heightMM: band))
            }
        }
    }
}
