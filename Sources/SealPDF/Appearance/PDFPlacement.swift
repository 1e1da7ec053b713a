/// Where a seal goes on a page: a rectangle in millimetres, measured on the page as a reader displays it.
///
/// The origin is the displayed page's bottom-left corner (PDF's own convention) unless ``Origin/topLeft`` is
/// chosen; the page's CropBox and /Rotate are taken into account, so "40 mm from the bottom" means what a
/// person with a ruler on the printed page would measure.
public struct PDFPlacement: Sendable, Hashable {
    /// Which page to stamp.
    public enum Page: Sendable, Hashable {
        /// 1-based page number.
        case number(Int)
        /// The last page of the document.
        case last
    }

    /// Which corner of the displayed page the coordinates are measured from.
    public enum Origin: Sendable, Hashable {
        case bottomLeft
        case topLeft
    }

    public var page: Page
    /// Distance of the seal's left edge from the page's left edge.
    public var xMM: Double
    /// Distance of the seal's bottom edge from the page's bottom edge (or its top edge from the page's top).
    public var yMM: Double
    /// Seal width; nil means the seal's own size (40 mm, the common size of an official round seal).
    public var widthMM: Double?
    /// Seal height; nil keeps the picture's aspect ratio.
    public var heightMM: Double?
    public var origin: Origin

    public init(
        page: Page = .last, xMM: Double, yMM: Double, widthMM: Double? = nil, heightMM: Double? = nil,
        origin: Origin = .bottomLeft
    ) {
        self.page = page
        self.xMM = xMM
        self.yMM = yMM
        self.widthMM = widthMM
        self.heightMM = heightMM
        self.origin = origin
    }

    /// Default seal width when neither the request nor the seal says otherwise.
    public static let defaultWidthMM = 40.0

    /// Points (1/72 inch) per millimetre.
    static let pointsPerMM = 72.0 / 25.4
}
