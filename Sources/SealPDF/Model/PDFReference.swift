/// An indirect reference `N G R`.
public struct PDFReference: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The object number (≥ 1 for real objects).
    public var number: Int
    /// The generation number.
    public var generation: Int

    /// Creates a reference.
    public init(number: Int, generation: Int = 0) {
        self.number = number
        self.generation = generation
    }

    public static func < (lhs: PDFReference, rhs: PDFReference) -> Bool {
        (lhs.number, lhs.generation) < (rhs.number, rhs.generation)
    }

    public var description: String { "\(number) \(generation) R" }
}
