/// A rectangle in OFD page space, in millimetres (origin top-left, y grows downwards), as `ST_Box` writes it.
public struct OFDBox: Sendable, Hashable, Codable {
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

    /// Parses `"x y w h"` (spaces, tabs or commas between numbers); nil when malformed.
    public init?(stBox text: String) {
        let numbers = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .compactMap { Double($0) }
        guard numbers.count == 4, numbers.allSatisfy(\.isFinite) else { return nil }
        self.init(xMM: numbers[0], yMM: numbers[1], widthMM: numbers[2], heightMM: numbers[3])
    }

    /// The `ST_Box` text, with at most three decimals and no trailing zeros.
    public var stBox: String { [xMM, yMM, widthMM, heightMM].map(Self.format).joined(separator: " ") }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(rounded)
        if text.contains("e") { text = String(Int(rounded)) }
        return text
    }

    /// A4 portrait, the default when a document names no page area.
    public static let a4 = OFDBox(xMM: 0, yMM: 0, widthMM: 210, heightMM: 297)
}
