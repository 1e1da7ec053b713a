/// Glyph names to Unicode (the Adobe Glyph List conventions a PDF's `/Differences` use).
enum GlyphNames {
    /// The Unicode scalar a glyph name stands for: the table for standard names, `uniXXXX`, `uXXXX[XX]`, and the
    /// base name of `name.suffix` variants; nil when unknown.
    static func unicode(for name: String) -> Unicode.Scalar? {
        if let value = FontTables.glyphNames[name] { return Unicode.Scalar(value) }
        var base = Substring(name)
        if let dot = base.firstIndex(of: "."), dot != base.startIndex {
            base = base[..<dot]
            if let value = FontTables.glyphNames[String(base)] { return Unicode.Scalar(value) }
        }
        if base.hasPrefix("uni"), base.count >= 7, let value = UInt32(base.dropFirst(3).prefix(4), radix: 16) {
            return Unicode.Scalar(value)
        }
        if base.hasPrefix("u"), (5...7).contains(base.count), let value = UInt32(base.dropFirst(), radix: 16) {
            return Unicode.Scalar(value)
        }
        return nil
    }

    /// The standard glyph name of a Unicode scalar (reverse of the table), for standard-14 width lookups.
    static let namesByScalar: [UInt32: String] = {
        var result: [UInt32: String] = [:]
        for (name, value) in FontTables.glyphNames where result[value] == nil || name.count < result[value]!.count {
            result[value] = name
        }
        return result
    }()

    /// Parsed standard-14 widths (1/1000 em) by font and glyph name.
    static let standardWidths: [String: [String: Double]] = {
        var result: [String: [String: Double]] = [:]
        for (font, pairs) in FontTables.standardWidths {
            let words = pairs.split(separator: " ")
            var widths: [String: Double] = [:]
            var index = 0
            while index + 1 < words.count {
                widths[String(words[index])] = Double(words[index + 1])
                index += 2
            }
            result[font] = widths
        }
        return result
    }()
}
