/// Where one seal image appears: a page and a boundary in millimetres (OFD page space: origin at the top-left
/// corner of the page's physical box, y downwards).
public struct OFDStampPlacement: Sendable, Hashable {
    /// Which page: a 1-based number or the last page.
    public enum Page: Sendable, Hashable {
        case number(Int)
        case last
    }

    public var page: Page
    public var xMM: Double
    public var yMM: Double
    /// Width of the seal image; nil takes the seal picture's own width.
    public var widthMM: Double?
    /// Height of the seal image; nil takes the seal picture's own height.
    public var heightMM: Double?
    /// The visible part, relative to the boundary's origin (riding seals, 骑缝章); nil shows all of it.
    public var clip: OFDBox?

    public init(
        page: Page = .last, xMM: Double, yMM: Double, widthMM: Double? = nil, heightMM: Double? = nil,
        clip: OFDBox? = nil
    ) {
        self.page = page
        self.xMM = xMM
        self.yMM = yMM
        self.widthMM = widthMM
        self.heightMM = heightMM
        self.clip = clip
    }
}
