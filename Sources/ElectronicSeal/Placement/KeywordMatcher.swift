/// Finds keywords in a page's glyphs as drawn, for keyword placement in PDF and OFD alike: white space is ignored
/// and compatibility forms are folded (full-width ASCII, ideographic and no-break space, f-ligatures), so a keyword
/// matches across adjacent show operators, TJ kerning, TextCodes and TextObjects.
public enum KeywordMatcher {
    /// One match: which keyword, and the glyphs (indices into the page's glyph list) it spans.
    public struct Match: Sendable, Hashable {
        public var keyword: String
        public var glyphs: ClosedRange<Int>
    }

    /// Every non-overlapping occurrence of each keyword among `glyphTexts` (one string per drawn glyph).
    public static func matches(of keywords: [String], in glyphTexts: [String]) -> [Match] {
        let wanted = keywords.map { (keyword: $0, folded: fold($0)) }.filter { !$0.folded.isEmpty }
        guard !wanted.isEmpty else { return [] }
        var characters: [Character] = []
        var owners: [Int] = []
        for (index, text) in glyphTexts.enumerated() {
            for character in fold(text) {
                characters.append(character)
                owners.append(index)
            }
        }
        var result: [Match] = []
        for (keyword, folded) in wanted {
            var start = 0
            while start + folded.count <= characters.count {
                if characters[start] == folded[0], characters[start..<start + folded.count].elementsEqual(folded) {
                    result.append(Match(keyword: keyword, glyphs: owners[start]...owners[start + folded.count - 1]))
                    start += folded.count
                } else {
                    start += 1
                }
            }
        }
        return result
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
