/// A rectangle on a page as a reader sees it: millimetres from the displayed page's bottom-left corner
/// (the CropBox, after `/Rotate` and `/UserUnit`).
public struct PDFTextBox: Sendable, Hashable, Codable {
    public var xMM: Double
    public var yMM: Double
    public var widthMM: Double
    public var heightMM: Double

    public init(xMM: Double, yMM: Double, widthMM: Double, heightMM: Double) {
        self.xMM = xMM
        self.yMM = yMM
        self.widthMM = widthMM
        self.heightMM = heightMM
    }

    /// The centre point (x, y) in millimetres.
    public var centreMM: (x: Double, y: Double) { (xMM + widthMM / 2, yMM + heightMM / 2) }

    /// The smallest box holding both.
    public func union(_ other: PDFTextBox) -> PDFTextBox {
        let minX = min(xMM, other.xMM), minY = min(yMM, other.yMM)
        let maxX = max(xMM + widthMM, other.xMM + other.widthMM), maxY = max(yMM + heightMM, other.yMM + other.heightMM)
        return PDFTextBox(xMM: minX, yMM: minY, widthMM: maxX - minX, heightMM: maxY - minY)
    }
}

/// One glyph found on a page: its Unicode text and its box.
public struct PDFTextGlyph: Sendable, Hashable {
    public var text: String
    public var box: PDFTextBox

    public init(text: String, box: PDFTextBox) {
        self.text = text
        self.box = box
    }
}

/// One occurrence of a keyword.
public struct PDFKeywordMatch: Sendable, Hashable {
    /// 1-based page number.
    public var page: Int
    /// The keyword as asked for.
    public var keyword: String
    /// The union of the matched glyphs' boxes.
    public var box: PDFTextBox

    public init(page: Int, keyword: String, box: PDFTextBox) {
        self.page = page
        self.keyword = keyword
        self.box = box
    }
}
