/// Finds keywords in a page's glyphs as drawn, for keyword placement in PDF and OFD alike: white space is ignored
/// and compatibility forms are folded (full-width ASCII, ideographic and no-break space, f-ligatures), so a keyword
/// matches across adjacent show operators, TJ kerning, TextCodes and TextObjects.
public enum KeywordMatcher {
    /// The pages of a `count`-page document that a keyword search over `range` reads (all without a range); nil
    /// when none exist, e.g. a range past the last page (a batch passes one range to documents of any length).
    public static func pages(_ range: ClosedRange<Int>?, count: Int) -> ClosedRange<Int>? {
        let first = max(1, range?.lowerBound ?? 1)
        let last = min(count, range?.upperBound ?? count)
        return first <= last ? first...last : nil
    }

    /// One match: which keyword, and the glyphs (indices into the page's glyph list) it spans.
    public struct Match: Sendable, Hashable {
        public var keyword: String
        public var glyphs: ClosedRange<Int>
    }

    /// A page's glyph texts folded for matching (white space dropped, compatibility forms folded), built glyph by
    /// glyph — from strings, or from single scalars without a `String` per glyph.
    public struct FoldedGlyphs: Sendable {
        /// The folded text, one scalar per folded character.
        var scalars: [Unicode.Scalar] = []
        /// For each folded scalar, the glyph it came from.
        var owners: [Int] = []

        public init(capacity: Int = 0) {
            scalars.reserveCapacity(capacity)
            owners.reserveCapacity(capacity)
        }

        /// Appends the text of glyph number `glyph`.
        public mutating func append(_ text: String, glyph: Int) {
            // Most glyphs are one ASCII character: folded without walking the string's scalars.
            let utf8 = text.utf8
            if utf8.count == 1, let byte = utf8.first, byte < 0x80 {
                append(Unicode.Scalar(byte), glyph: glyph)
                return
            }
            for scalar in text.unicodeScalars { append(scalar, glyph: glyph) }
        }

        /// Appends a glyph whose text is one scalar.
        public mutating func append(_ scalar: Unicode.Scalar, glyph: Int) {
            let before = scalars.count
            KeywordMatcher.appendFolded(scalar, to: &scalars)
            for _ in before..<scalars.count { owners.append(glyph) }
        }
    }

    /// Every non-overlapping occurrence of each keyword among `glyphTexts` (one string per drawn glyph).
    public static func matches(of keywords: [String], in glyphTexts: [String]) -> [Match] {
        var folded = FoldedGlyphs(capacity: glyphTexts.count)
        for (index, text) in glyphTexts.enumerated() { folded.append(text, glyph: index) }
        return matches(of: keywords, in: folded)
    }

    /// Every non-overlapping occurrence of each keyword among the folded glyphs.
    public static func matches(of keywords: [String], in glyphs: FoldedGlyphs) -> [Match] {
        var wanted: [(keyword: String, folded: [Unicode.Scalar])] = []
        for keyword in keywords {
            var folded: [Unicode.Scalar] = []
            appendFolded(keyword, to: &folded)
            if !folded.isEmpty { wanted.append((keyword, folded)) }
        }
        guard !wanted.isEmpty else { return [] }
        // Folding yields one scalar per character, so the page's text is compared scalar by scalar.
        let scalars = glyphs.scalars, owners = glyphs.owners
        var result: [Match] = []
        for (keyword, folded) in wanted {
            let length = folded.count
            var start = 0
            while start + length <= scalars.count {
                if same(scalars[start], folded[0]), matchesAt(start, folded, in: scalars) {
                    result.append(Match(keyword: keyword, glyphs: owners[start]...owners[start + length - 1]))
                    start += length
                } else {
                    start += 1
                }
            }
        }
        return result
    }

    private static func matchesAt(_ start: Int, _ folded: [Unicode.Scalar], in scalars: [Unicode.Scalar]) -> Bool {
        for offset in 1..<folded.count where !same(scalars[start + offset], folded[offset]) { return false }
        return true
    }

    /// Whether two folded scalars are the same character: Swift's `Character` equality (canonical equivalence,
    /// e.g. KELVIN SIGN = K), with the all-ASCII case decided without it.
    @inline(__always) private static func same(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        if a == b { return true }
        if a.isASCII, b.isASCII { return false }
        return Character(a) == Character(b)
    }

    /// ``fold(_:)`` as scalars (each folded character is one scalar), appended to `result`.
    private static func appendFolded(_ text: String, to result: inout [Unicode.Scalar]) {
        for scalar in text.unicodeScalars { appendFolded(scalar, to: &result) }
    }

    /// One scalar of ``fold(_:)``: nothing for white space, one or more scalars otherwise.
    @inline(__always)
    fileprivate static func appendFolded(_ scalar: Unicode.Scalar, to result: inout [Unicode.Scalar]) {
        let value = scalar.value
        if value < 0x80 {
            // ASCII white space: tab, line feed, vertical tab, form feed, carriage return, space.
            if value == 0x20 || (0x09...0x0D).contains(value) { return }
            result.append(scalar)
            return
        }
        switch value {
        case 0xFB00: result += ["f", "f"]
        case 0xFB01: result += ["f", "i"]
        case 0xFB02: result += ["f", "l"]
        case 0xFB03: result += ["f", "f", "i"]
        case 0xFB04: result += ["f", "f", "l"]
        case 0xFF01...0xFF5E: result.append(Unicode.Scalar(value - 0xFEE0)!)
        case 0x3000, 0x00A0: return
        default:
            if !Character(scalar).isWhitespace { result.append(scalar) }
        }
    }

    /// Compatibility-folded characters without white space (NFKC for what matters here, without Foundation).
    public static func fold(_ text: String) -> [Character] {
        var result: [Character] = []
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFB00: result += ["f", "f"]
            case 0xFB01: result += ["f", "i"]
            case 0xFB02: result += ["f", "l"]
            case 0xFB03: result += ["f", "f", "i"]
            case 0xFB04: result += ["f", "f", "l"]
            case 0xFF01...0xFF5E: result.append(Character(Unicode.Scalar(scalar.value - 0xFEE0)!))
            case 0x3000, 0x00A0: continue
            default:
                let character = Character(scalar)
                if !character.isWhitespace { result.append(character) }
            }
        }
        return result
    }
}
