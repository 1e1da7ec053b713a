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
}
