import Synchronization

/// What the text engine needs to know about a font: how bytes split into codes, each code's advance width and
/// Unicode text, and the font's ascent and descent (ISO 32000 §9.2–9.10).
///
/// Widths, ascent and descent are in text-space units (glyph space scaled by the font matrix, normally 1/1000).
final class TextFont {
    /// One decoded character of a shown string.
    struct Character {
        var text: String
        /// Horizontal advance (vertical fonts: the vertical displacement, negative downwards).
        var width: Double
        /// True for the single-byte code 32, which word spacing (`Tw`) applies to.
        var isWordSpace: Bool
    }

    let isComposite: Bool
    let isVertical: Bool
    let ascent: Double
    let descent: Double
    private let encoding: CMap
    private let toUnicode: CMap?
    // Simple fonts
    private var simpleWidths: [Double] = []
    private var simpleText: [String?] = []
    /// Each simple-font code's text (``toUnicode`` first, then the encoding), filled in as codes are shown.
    private var simpleResolvedText = [String?](repeating: nil, count: 256)
    private var widthScale = 0.001
    // Composite fonts
    private var cidWidths: [Int: Double] = [:]
    private var cidWidthRanges: [(first: Int, last: Int, width: Double)] = []
    private var defaultWidth = 1.0
    private var defaultVertical = -1.0
    /// Predefined CMaps whose codes are UCS-2/UTF-16 (their text is the code itself when there is no /ToUnicode).
    private var codesAreUnicode = false
    /// Predefined Unicode CMaps SealPress does not carry: only their ASCII codes have known CIDs (1–95).
    private var asciiCIDsOnly = false
    /// CID → Unicode of the font's character collection (Adobe-GB1 …), for text when there is no /ToUnicode.
    private var collectionUnicode: CIDUnicodeTable?

    /// Loads a font dictionary.
    init(_ font: PDFDictionary, document: PDFDocument, limits: PDFTextLimits) throws(PDFError) {
        let subtype = font[.subtype]?.nameValue?.string ?? "Type1"
        var toUnicode: CMap?
        if let object = font["ToUnicode"], case .stream(let stream) = try document.resolve(object) {
            let data = try document.decodedData(of: stream)
            toUnicode = try? CMap(parsing: data, maxEntries: limits.maxCMapEntries)
            if toUnicode == nil {
                // A CMap past the limit is refused outright (hostile), a garbled one is just not used.
                _ = try CMap(parsing: data, maxEntries: limits.maxCMapEntries)
            }
        }
        self.toUnicode = toUnicode

        if subtype == "Type0" {
            isComposite = true
            var encoding = CMap.identity(vertical: false)
            var codesAreUnicode = false
            var collection: String?
            switch try document.value(font, "Encoding") {
            case .name(let name)?:
                let value = name.string
                codesAreUnicode = value.hasPrefix("Uni") && (value.contains("UCS2") || value.contains("UTF16"))
                if let predefined = PredefinedCMaps.cmap(named: value) {
                    encoding = predefined
                    collection = PredefinedCMaps.collection(ofCMap: value)
                } else {
                    encoding = CMap.identity(vertical: value.hasSuffix("-V"))
                    asciiCIDsOnly = codesAreUnicode
                }
            case .stream(let stream)?:
                let data = try document.decodedData(of: stream)
                encoding = try CMap(parsing: data, maxEntries: limits.maxCMapEntries)
                if encoding.codespaces.isEmpty { encoding.codespaces = CMap.identity(vertical: false).codespaces }
                if stream.dictionary["WMode"]?.integerValue == 1 { encoding.isVertical = true }
            default: break
            }
            self.encoding = encoding
            self.isVertical = encoding.isVertical
            self.codesAreUnicode = codesAreUnicode
            var descendant = PDFDictionary()
            if let array = try document.value(font, "DescendantFonts")?
                .arrayValue, let first = array.first, let dictionary = try document.resolveDictionary(first)
            {
                descendant = dictionary
            }
            if toUnicode == nil, !codesAreUnicode {
                // Without /ToUnicode, text comes from the character collection's CID → Unicode table (as poppler
                // does): the predefined CMap's collection, else the descendant's /CIDSystemInfo.
                if collection == nil, let info = try document.resolveDictionary(descendant["CIDSystemInfo"]),
                    let registry = try document.value(info, "Registry")?.stringValue?.bytes,
                    let ordering = try document.value(info, "Ordering")?.stringValue?.bytes
                {
                    collection = String(decoding: registry, as: UTF8.self) + "-" + String(decoding: ordering, as: UTF8.self)
                }
                collectionUnicode = collection.flatMap { PredefinedCMaps.unicodeTable(forCollection: $0) }
            }
            let metrics = try Self.descriptorMetrics(descendant, document: document)
            ascent = metrics.ascent
            descent = metrics.descent
            if let value = try document.value(descendant, "DW")?
                .numberValue
            {
                defaultWidth = value / 1000
            }
            if let dw2 = try document.value(descendant, "DW2")?
                .arrayValue, dw2.count == 2, let vertical = dw2[1].numberValue
            {
                defaultVertical = vertical / 1000
            }
            if let w = try document.value(descendant, "W")?.arrayValue {
                try parseW(w, document: document, limits: limits)
            }
        } else {
            isComposite = false
            isVertical = false
            var single = CMap()
            single.codespaces = [CMap.CodespaceRange(low: [0], high: [0xFF])]
            encoding = single
            let baseFont = Self.standardName(font["BaseFont"]?.nameValue?.string ?? "")
            let descriptor = try document.resolveDictionary(font["FontDescriptor"])
            let embedded = descriptor.map { $0["FontFile"] != nil || $0["FontFile2"] != nil || $0["FontFile3"] != nil }
                ?? false
            var metrics = try Self.descriptorMetrics(font, document: document)
            if subtype == "Type3" {
                let matrix = try document.value(font, "FontMatrix")?
                    .arrayValue?.compactMap(\.numberValue)
                if let matrix, matrix.count == 6, matrix[0] != 0, matrix[0].isFinite, abs(matrix[0]) < 10 {
                    widthScale = matrix[0]
                }
                if let box = PDFRect(try document.value(font, "FontBBox")),
                    let matrix, matrix.count == 6, box.ury > box.lly
                {
                    let ascent = box.ury * matrix[3], descent = box.lly * matrix[3]
                    if ascent.isFinite, descent.isFinite, ascent > descent { metrics = (ascent, descent) }
                }
            } else if !embedded, let builtin = Self.builtinMetrics[baseFont] {
                metrics = builtin
            }
            ascent = metrics.ascent
            descent = metrics.descent
            try loadSimpleEncoding(font, subtype: subtype, baseFont: baseFont, document: document)
            try loadSimpleWidths(font, descriptor: descriptor, baseFont: baseFont, document: document)
        }
    }

    /// Decodes the bytes of a shown string into characters.
    func characters(_ bytes: [UInt8]) -> [Character] {
        var result: [Character] = []
        decode(bytes, into: &result)
        return result
    }

    /// Decodes the bytes of a shown string into `result` (emptied first; its storage is reused).
    func decode(_ bytes: [UInt8], into result: inout [Character]) {
        result.removeAll(keepingCapacity: true)
        if !isComposite {
            // One byte per code (the simple fonts' codespace is <00>–<FF>); each code's text is looked up once.
            // The tables are used as locals (the resolved texts moved out and back) inside the loop.
            var resolved: [String?] = []
            swap(&resolved, &simpleResolvedText)
            defer { swap(&resolved, &simpleResolvedText) }
            let widths = simpleWidths
            result.reserveCapacity(bytes.count)
            for byte in bytes {
                let index = Int(byte)
                let text: String
                if let known = resolved[index] {
                    text = known
                } else {
                    text = toUnicode?.unicode(for: UInt32(byte)) ?? simpleText[index] ?? "\u{FFFD}"
                    resolved[index] = text
                }
                result.append(Character(text: text, width: widths[index], isWordSpace: byte == 32))
            }
            return
        }
        let codes = encoding.codes(in: bytes)
        result.reserveCapacity(codes.count)
        for (code, length) in codes {
            // Predefined Unicode CMaps SealPress does not carry (UniJIS-UCS2-H …) map ASCII to the CIDs 1–95
            // every Adobe ordering shares; their other codes' CIDs are unknown and take the default width.
            let cid = asciiCIDsOnly ? ((0x20...0x7E).contains(code) ? Int(code) - 0x1F : -1)
                : (encoding.cid(for: code) ?? 0)
            var text = toUnicode?.unicode(for: code)
            if text == nil, codesAreUnicode {
                // The code is UTF-16: one unit, or a surrogate pair in a four-byte code (UniGB-UTF16-H).
                let units = code > 0xFFFF
                    ? [UInt16(truncatingIfNeeded: code >> 16), UInt16(truncatingIfNeeded: code)]
                    : [UInt16(truncatingIfNeeded: code)]
                text = String(decoding: units, as: UTF16.self)
            }
            if text == nil, let collectionUnicode { text = collectionUnicode.text(for: cid) }
            let width = isVertical ? defaultVertical : cidWidth(cid)
            result.append(Character(text: text ?? "\u{FFFD}", width: width, isWordSpace: length == 1 && code == 32))
        }
    }

    /// Horizontal advance of a CID (vertical fonts keep the box width).
    func cidWidth(_ cid: Int) -> Double {
        if let width = cidWidths[cid] { return width }
        for range in cidWidthRanges where range.first <= cid && cid <= range.last { return range.width }
        return defaultWidth
    }

    // MARK: - Loading

    private func parseW(_ w: [PDFObject], document: PDFDocument, limits: PDFTextLimits) throws(PDFError) {
        var index = 0
        var entries = 0
        while index < w.count {
            guard let first = try document.resolve(w[index]).integerValue else { break }
            guard index + 1 < w.count else { break }
            let second = try document.resolve(w[index + 1])
            if case .array(let widths) = second {
                for (offset, item) in widths.enumerated() {
                    if let width = try document.resolve(item).numberValue, width.isFinite {
                        cidWidths[first + offset] = width / 1000
                    }
                }
                entries += widths.count
                index += 2
            } else {
                guard index + 2 < w.count, let last = second.integerValue,
                    let width = try document.resolve(w[index + 2]).numberValue, width.isFinite
                else { break }
                cidWidthRanges.append((first, last, width / 1000))
                entries += 1
                index += 3
            }
            guard entries <= limits.maxCMapEntries else {
                throw PDFError(.limitExceeded, "font /W array longer than \(limits.maxCMapEntries) entries")
            }
        }
    }

    private func loadSimpleEncoding(_ font: PDFDictionary, subtype: String, baseFont: String, document: PDFDocument)
        throws(PDFError)
    {
        var base = BaseEncoding.standard
        if baseFont == "Symbol" || baseFont == "ZapfDingbats" { base = .none }
        if subtype == "TrueType" { base = .winAnsi }
        var differences: [PDFObject] = []
        switch try document.value(font, "Encoding") {
        case .name(let name)?:
            base = BaseEncoding(named: name.string) ?? base
        case .dictionary(let dictionary)?:
            if let name = dictionary["BaseEncoding"]?.nameValue?.string, let named = BaseEncoding(named: name) {
                base = named
            }
            differences = try document.value(dictionary, "Differences")?
                .arrayValue ?? []
        default: break
        }
        baseEncoding = base
        simpleText = base.text
        var code = 0
        for item in differences.prefix(4_096) {
            if let number = item.integerValue {
                code = number
            } else if let name = item.nameValue, (0..<256).contains(code) {
                if let scalar = GlyphNames.unicode(for: name.string) { simpleText[code] = String(Swift.Character(scalar)) }
                glyphNames[code] = name.string
                code += 1
            }
        }
    }

    /// The encodings a simple font's `/Differences` start from, with each code's text computed once per process.
    private enum BaseEncoding: Hashable {
        case standard, winAnsi, macRoman, none

        init?(named name: String) {
            switch name {
            case "WinAnsiEncoding": self = .winAnsi
            case "MacRomanEncoding": self = .macRoman
            case "StandardEncoding": self = .standard
            default: return nil
            }
        }

        var text: [String?] {
            switch self {
            case .standard: Self.standardText
            case .winAnsi: Self.winAnsiText
            case .macRoman: Self.macRomanText
            case .none: Self.noText
            }
        }

        private static let standardText = texts(FontTables.standardEncoding)
        private static let winAnsiText = texts(FontTables.winAnsiEncoding)
        private static let macRomanText = texts(FontTables.macRomanEncoding)
        private static let noText = [String?](repeating: nil, count: 256)

        private static func texts(_ table: [UInt32]) -> [String?] {
            table.map { $0 == 0 ? nil : Unicode.Scalar($0).map { String(Swift.Character($0)) } }
        }
    }

    private var baseEncoding = BaseEncoding.standard

    private var glyphNames: [Int: String] = [:]

    private func loadSimpleWidths(
        _ font: PDFDictionary, descriptor: PDFDictionary?, baseFont: String, document: PDFDocument
    ) throws(PDFError) {
        let missing = (try descriptor.flatMap { d throws(PDFError) in try document.value(d, "MissingWidth") }?
            .numberValue).map { $0 * widthScale } ?? 0
        if let widths = try document.value(font, "Widths")?.arrayValue {
            let firstChar = try document.value(font, "FirstChar")?
                .integerValue ?? 0
            simpleWidths = [Double](repeating: missing, count: 256)
            for (offset, item) in widths.prefix(256).enumerated() {
                let code = firstChar + offset
                guard (0..<256).contains(code), let width = try document.resolve(item).numberValue, width.isFinite
                else { continue }
                simpleWidths[code] = width * widthScale
            }
            return
        }
        // No /Widths: the standard 14 carry built-in metrics (ISO 32000 §9.6.2.2).
        if baseFont.hasPrefix("Courier") {
            simpleWidths = [Double](repeating: 0.6, count: 256)
            return
        }
        let table = GlyphNames.standardWidths[baseFont]
        // Without /Differences the widths depend only on the font, the base encoding and /MissingWidth: the
        // standard 14's are computed once per process (a bounded cache, not keyed by arbitrary font names).
        let key = table != nil && glyphNames.isEmpty
            ? StandardWidthsKey(font: baseFont, encoding: baseEncoding, missing: missing) : nil
        if let key, let cached = Self.standardWidthsCache.withLock({ $0[key] }) {
            simpleWidths = cached
            return
        }
        simpleWidths = (0..<256).map { code in
            guard let table else { return missing > 0 ? missing : 0.5 }
            let name = glyphNames[code]
                ?? simpleText[code].flatMap { $0.unicodeScalars.first }.flatMap { GlyphNames.namesByScalar[$0.value] }
            return name.flatMap { table[$0] }.map { $0 / 1000 } ?? (missing > 0 ? missing : 0.5)
        }
        if let key {
            let widths = simpleWidths
            Self.standardWidthsCache.withLock { cache in
                if cache.count < 256 { cache[key] = widths }
            }
        }
    }

    private struct StandardWidthsKey: Hashable {
        var font: String
        var encoding: BaseEncoding
        var missing: Double
    }

    private static let standardWidthsCache = Mutex<[StandardWidthsKey: [Double]]>([:])

    /// Ascent and descent from a font descriptor, with poppler's tolerance for broken values (sign flips,
    /// zeros, absurd sizes) and its defaults 0.95 / -0.35.
    private static func descriptorMetrics(_ font: PDFDictionary, document: PDFDocument) throws(PDFError)
        -> (ascent: Double, descent: Double)
    {
        var ascent = 0.95, descent = -0.35
        guard let descriptor = try document.resolveDictionary(font["FontDescriptor"]) else { return (ascent, descent) }
        if let value = try document.value(descriptor, "Ascent")?
            .numberValue
        {
            let t = abs(value / 1000)
            if t != 0, t < 3 { ascent = t }
        }
        if let value = try document.value(descriptor, "Descent")?
            .numberValue
        {
            let t = -abs(value / 1000)
            if t != 0, t > -3 { descent = t }
        }
        return (ascent, descent)
    }

    /// Built-in ascent/descent of the standard 14 (from their AFM files), used when the font is not embedded.
    private static let builtinMetrics: [String: (ascent: Double, descent: Double)] = [
        "Helvetica": (0.718, -0.207), "Helvetica-Bold": (0.718, -0.207), "Helvetica-Oblique": (0.718, -0.207),
        "Helvetica-BoldOblique": (0.718, -0.207), "Times-Roman": (0.683, -0.217), "Times-Bold": (0.676, -0.205),
        "Times-Italic": (0.683, -0.205), "Times-BoldItalic": (0.669, -0.209), "Courier": (0.629, -0.157),
        "Courier-Bold": (0.629, -0.157), "Courier-Oblique": (0.629, -0.157), "Courier-BoldOblique": (0.629, -0.157),
    ]

    private static let standardAliases: [String: String] = [
        "Arial": "Helvetica", "Arial,Bold": "Helvetica-Bold", "Arial-BoldMT": "Helvetica-Bold", "ArialMT": "Helvetica",
        "Helvetica,Bold": "Helvetica-Bold", "TimesNewRoman": "Times-Roman", "TimesNewRomanPSMT": "Times-Roman",
        "TimesNewRoman,Bold": "Times-Bold", "TimesNewRomanPS-BoldMT": "Times-Bold", "CourierNew": "Courier",
        "Helvetica-Oblique": "Helvetica", "Helvetica-BoldOblique": "Helvetica-Bold",
    ]

    /// The standard-14 name a base font stands for (subset prefix dropped, common aliases mapped).
    static func standardName(_ baseFont: String) -> String {
        var name = baseFont
        if name.count > 7, name.dropFirst(6).first == "+" { name = String(name.dropFirst(7)) }
        return standardAliases[name] ?? name
    }
}
