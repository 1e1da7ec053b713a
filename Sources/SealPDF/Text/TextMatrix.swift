/// A PDF transformation matrix `[a b c d e f]` (ISO 32000 §8.3.4): `x' = a·x + c·y + e`, `y' = b·x + d·y + f`.
struct TextMatrix: Equatable, Sendable {
    var a: Double, b: Double, c: Double, d: Double, e: Double, f: Double

    static let identity = TextMatrix(a: 1, b: 0, c: 0, d: 1, e: 0, f: 0)

    /// Reads six numbers; nil when the operands are not six finite numbers.
    init?(_ values: [Double]) {
        guard values.count == 6, values.allSatisfy(\.isFinite) else { return nil }
        self.init(a: values[0], b: values[1], c: values[2], d: values[3], e: values[4], f: values[5])
    }

    init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
        (self.a, self.b, self.c, self.d, self.e, self.f) = (a, b, c, d, e, f)
    }

    /// `self × other`: first this transformation, then `other` (PDF's `cm` is `new × CTM`).
    func concatenating(_ other: TextMatrix) -> TextMatrix {
        TextMatrix(
            a: a * other.a + b * other.c, b: a * other.b + b * other.d,
            c: c * other.a + d * other.c, d: c * other.b + d * other.d,
            e: e * other.a + f * other.c + other.e, f: e * other.b + f * other.d + other.f)
    }

    /// A translation by (tx, ty) applied before this matrix: `T(tx,ty) × self`.
    func translatedBefore(_ tx: Double, _ ty: Double) -> TextMatrix {
        TextMatrix(a: a, b: b, c: c, d: d, e: tx * a + ty * c + e, f: tx * b + ty * d + f)
    }

    func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        (a * x + c * y + e, b * x + d * y + f)
    }

    var isFinite: Bool { a.isFinite && b.isFinite && c.isFinite && d.isFinite && e.isFinite && f.isFinite }
}

extension PDFDocument {
    /// A dictionary entry with references followed (nil when absent).
    func value(_ dictionary: PDFDictionary, _ key: PDFName) throws(PDFError) -> PDFObject? {
        guard let object = dictionary[key] else { return nil }
        return try resolve(object)
    }
}
