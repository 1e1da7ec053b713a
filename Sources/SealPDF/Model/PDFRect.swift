/// A rectangle in PDF user space (points, 1/72 inch), as stored: lower-left and upper-right corners.
public struct PDFRect: Hashable, Sendable, CustomStringConvertible {
    public var llx: Double
    public var lly: Double
    public var urx: Double
    public var ury: Double

    /// Creates a rectangle; the corners are normalised so that `llx ≤ urx` and `lly ≤ ury`.
    public init(llx: Double, lly: Double, urx: Double, ury: Double) {
        self.llx = min(llx, urx)
        self.lly = min(lly, ury)
        self.urx = max(llx, urx)
        self.ury = max(lly, ury)
    }

    /// Width in points.
    public var widthPoints: Double { urx - llx }
    /// Height in points.
    public var heightPoints: Double { ury - lly }

    /// The rectangle as a PDF array `[llx lly urx ury]`.
    public var object: PDFObject { .array([.real(llx), .real(lly), .real(urx), .real(ury)]) }

    /// Reads a rectangle from a 4-number array; nil if it is not one.
    public init?(_ object: PDFObject?) {
        guard let array = object?.arrayValue, array.count == 4 else { return nil }
        var values: [Double] = []
        for item in array {
            guard let value = item.numberValue, value.isFinite else { return nil }
            values.append(value)
        }
        self.init(llx: values[0], lly: values[1], urx: values[2], ury: values[3])
    }

    /// The intersection with another rectangle (empty rectangles collapse to a zero-size one).
    public func intersection(_ other: PDFRect) -> PDFRect {
        let l = max(llx, other.llx), b = max(lly, other.lly)
        let r = min(urx, other.urx), t = min(ury, other.ury)
        return PDFRect(llx: l, lly: b, urx: max(l, r), ury: max(b, t))
    }

    public var description: String { "[\(llx) \(lly) \(urx) \(ury)]" }
}
