/// A riding seal (骑缝章): one signature whose seal picture is cut into slices, one slice on the chosen edge of each
/// selected page, so that the slices join into the whole seal when the pages are fanned out and no page can be
/// swapped unnoticed.
///
/// The signature field has one widget per selected page (the field's /Kids), each with its own appearance stream
/// that draws the whole picture through a /BBox the size of its slice (the picture is shifted so the slice's part
/// shows). Slices follow reading order: the first selected page shows the left-most slice (edges `left`/`right`)
/// or the top-most slice (edges `top`/`bottom`). With more selected pages than ``slices``, the slices start over on
/// the next page (every group of `slices` pages carries a whole seal). Edges are those of the page as displayed
/// (/Rotate and the CropBox are taken into account), like ``PDFPlacement``.
public struct PDFRidingSeal: Sendable, Hashable {
    /// The page edge the slices sit on.
    public enum Edge: String, Sendable, Hashable, CaseIterable {
        case left, right, top, bottom
    }

    /// Which pages carry a slice.
    public enum Pages: Sendable, Hashable {
        case all
        /// 1-based, inclusive.
        case range(ClosedRange<Int>)
        case odd
        case even

        /// Parses `all`, `odd`, `even`, `N` or `A-B`; nil for anything else.
        public init?(_ text: String) {
            switch text {
            case "all": self = .all
            case "odd": self = .odd
            case "even": self = .even
            default:
                let parts = text.split(separator: "-", omittingEmptySubsequences: false)
                guard parts.count <= 2, let first = Int(parts[0]), let last = Int(parts[parts.count - 1]), first >= 1,
                    first <= last
                else { return nil }
                self = .range(first...last)
            }
        }

        /// The selected 1-based page numbers of a document with `count` pages.
        func numbers(pageCount count: Int) throws -> [Int] {
            switch self {
            case .all: return Array(1...max(count, 1)).filter { $0 <= count }
            case .odd: return stride(from: 1, through: count, by: 2).map { $0 }
            case .even: return stride(from: 2, through: count, by: 2).map { $0 }
            case .range(let range):
                guard range.lowerBound >= 1, range.upperBound <= count else {
                    throw PDFStampError(
                        .noSuchPage,
                        "pages \(range.lowerBound)-\(range.upperBound) are not all in the document (\(count) pages)")
                }
                return Array(range)
            }
        }
    }

    public var edge: Edge
    public var pages: Pages
    /// Number of slices the picture is cut into; nil means one per selected page.
    public var slices: Int?
    /// Gap between the page edge and the slice, in millimetres (0: the slice touches the edge).
    public var marginMM: Double
    /// Share of the picture's width (or height, for `top`/`bottom`) shown on the first page of each group, in (0, 1);
    /// the other slices share the rest equally. nil: all slices are equal.
    public var firstPageShare: Double?
    /// The whole seal's width; nil means 40 mm (``PDFPlacement/defaultWidthMM``).
    public var widthMM: Double?
    /// The whole seal's height; nil keeps the picture's aspect ratio.
    public var heightMM: Double?
    /// Where along the edge the seal's centre sits: millimetres from the displayed page's bottom (edges
    /// `left`/`right`) or left (edges `top`/`bottom`); nil centres it.
    public var positionMM: Double?

    public init(
        edge: Edge, pages: Pages = .all, slices: Int? = nil, marginMM: Double = 0, firstPageShare: Double? = nil,
        widthMM: Double? = nil, heightMM: Double? = nil, positionMM: Double? = nil
    ) {
        self.edge = edge
        self.pages = pages
        self.slices = slices
        self.marginMM = marginMM
        self.firstPageShare = firstPageShare
        self.widthMM = widthMM
        self.heightMM = heightMM
        self.positionMM = positionMM
    }

    /// The share of the picture each slice shows (they add up to 1).
    func shares(sliceCount: Int) throws -> [Double] {
        guard sliceCount >= 1 else { throw PDFStampError(.badPlacement, "a riding seal needs at least one slice") }
        guard let first = firstPageShare, sliceCount > 1 else {
            return Array(repeating: 1 / Double(sliceCount), count: sliceCount)
        }
        guard first > 0, first < 1, first.isFinite else {
            throw PDFStampError(.badPlacement, "the first page's share must be between 0 and 1 (exclusive), e.g. 0.5")
        }
        return [first] + Array(repeating: (1 - first) / Double(sliceCount - 1), count: sliceCount - 1)
    }

    /// One slice on one page: the displayed-page placement of the slice and where the picture sits inside it.
    struct Slice {
        var pageIndex: Int
        var placement: PDFPlacement
        /// The picture's offset inside the slice box (points, displayed orientation): draw it at (dx, dy).
        var imageOffset: (x: Double, y: Double)
        /// The whole picture's size in points.
        var imageSize: (width: Double, height: Double)
    }

    /// The slices of a document whose pages have these displayed sizes (points).
    func slices(displayedSizes: [(width: Double, height: Double)], aspectRatio: Double) throws -> [Slice] {
        let numbers = try pages.numbers(pageCount: displayedSizes.count)
        guard !numbers.isEmpty else { throw PDFStampError(.noSuchPage, "no page is selected for the riding seal") }
        let count = slices ?? numbers.count
        guard count >= 1, count <= numbers.count else {
            throw PDFStampError(
                .badPlacement, "\(count) slices need at least as many selected pages (\(numbers.count) are selected)")
        }
        guard marginMM >= 0, marginMM.isFinite else {
            throw PDFStampError(.badPlacement, "the margin must be 0 or more")
        }
        let shares = try shares(sliceCount: count)
        let k = PDFPlacement.pointsPerMM
        let widthMM = widthMM ?? heightMM.map { $0 * aspectRatio } ?? PDFPlacement.defaultWidthMM
        let heightMM = heightMM ?? widthMM / max(aspectRatio, 1e-9)
        guard widthMM > 0, heightMM > 0, widthMM.isFinite, heightMM.isFinite else {
            throw PDFStampError(.badPlacement, "the seal size must be positive")
        }
        let vertical = edge == .left || edge == .right  // slices are vertical strips
        var result: [Slice] = []
        for (position, number) in numbers.enumerated() {
            let index = position % count
            let before = shares[..<index].reduce(0, +)
            let size = displayedSizes[number - 1]
            let pageWidthMM = size.width / k
            let pageHeightMM = size.height / k
            var placement = PDFPlacement(page: .number(number), xMM: 0, yMM: 0)
            var offset = (x: 0.0, y: 0.0)
            if vertical {
                let sliceWidth = widthMM * shares[index]
                placement.widthMM = sliceWidth
                placement.heightMM = heightMM
                placement.yMM = (positionMM ?? pageHeightMM / 2) - heightMM / 2
                placement.xMM = edge == .left ? marginMM : pageWidthMM - marginMM - sliceWidth
                offset.x = -widthMM * before * k
            } else {
                let sliceHeight = heightMM * shares[index]
                placement.widthMM = widthMM
                placement.heightMM = sliceHeight
                placement.xMM = (positionMM ?? pageWidthMM / 2) - widthMM / 2
                placement.yMM = edge == .bottom ? marginMM : pageHeightMM - marginMM - sliceHeight
                // The slice shows the band that starts `before` below the picture's top.
                offset.y = -(heightMM * (1 - before) - sliceHeight) * k
            }
            result.append(
                Slice(
                    pageIndex: number - 1, placement: placement, imageOffset: offset,
                    imageSize: (widthMM * k, heightMM * k)))
        }
        return result
    }
}
