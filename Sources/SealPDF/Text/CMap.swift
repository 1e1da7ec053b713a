/// A CMap as used by fonts (ISO 32000 §9.7.5, §9.10.3): how a string's bytes split into character codes,
/// and what each code means — Unicode text (`/ToUnicode`: `bfchar`, `bfrange`) or a CID (an embedded
/// `/Encoding` CMap: `cidchar`, `cidrange`).
///
/// Ranges are kept as ranges (never expanded), so a CMap's memory is proportional to its text.
struct CMap: Sendable {
    struct CodespaceRange: Sendable {
        var low: [UInt8]
        var high: [UInt8]
    }

    enum UnicodeTarget: Sendable {
        /// The first code's UTF-16 units; later codes add their offset to the last unit.
        case start([UInt16])
        /// One entry per code of the range.
        case list([[UInt16]])
    }

    struct UnicodeRange: Sendable {
        var low: UInt32
        var high: UInt32
        var target: UnicodeTarget
    }

    struct CIDRange: Sendable {
        var low: UInt32
        var high: UInt32
        var firstCID: Int
    }

    var codespaces: [CodespaceRange] = []
    var unicodeSingles: [UInt32: [UInt16]] = [:]
    var unicodeRanges: [UnicodeRange] = []
    var cidSingles: [UInt32: Int] = [:]
    var cidRanges: [CIDRange] = []
    /// `/WMode 1`: vertical writing.
    var isVertical = false

    /// The Identity-H / Identity-V CMaps: two-byte codes, CID = code.
    static func identity(vertical: Bool) -> CMap {
        var cmap = CMap()
        cmap.codespaces = [CodespaceRange(low: [0, 0], high: [0xFF, 0xFF])]
        cmap.cidRanges = [CIDRange(low: 0, high: 0xFFFF, firstCID: 0)]
        cmap.isVertical = vertical
        return cmap
    }

    /// Parses CMap text; at most `maxEntries` mappings are kept, more is a `.limitExceeded` error.
    init(parsing bytes: [UInt8], maxEntries: Int) throws(PDFError) {
        var lexer = ContentStreamLexer(bytes: bytes, maxDepth: 4)
        var operands: [PDFObject] = []
        var entries = 0
        func count(_ added: Int) throws(PDFError) {
            entries += added
            guard entries <= maxEntries else {
                throw PDFError(.limitExceeded, "CMap defines more than \(maxEntries) mappings")
            }
        }
        while let token = lexer.next() {
            switch token {
            case .operand(let object):
                operands.append(object)
                if operands.count > 4_096 { operands.removeFirst(operands.count - 3) }
            case .operator(let word):
                switch word {
                case "endcodespacerange":
                    var index = 0
                    while index + 1 < operands.count {
                        if let low = operands[index].stringValue?.bytes, let high = operands[index + 1].stringValue?.bytes,
                            !low.isEmpty, low.count == high.count, low.count <= 4
                        {
                            codespaces.append(CodespaceRange(low: low, high: high))
                            try count(1)
                        }
                        index += 2
                    }
                case "endbfchar":
                    var index = 0
                    while index + 1 < operands.count {
                        if let code = Self.codeValue(operands[index]) {
                            if let units = Self.units(operands[index + 1]) {
                                unicodeSingles[code] = units
                            } else if let name = operands[index + 1].nameValue,
                                let scalar = GlyphNames.unicode(for: name.string)
                            {
                                unicodeSingles[code] = Array(String(scalar).utf16)
                            }
                            try count(1)
                        }
                        index += 2
                    }
                case "endbfrange":
                    var index = 0
                    while index + 2 < operands.count {
                        defer { index += 3 }
                        guard let low = Self.codeValue(operands[index]), let high = Self.codeValue(operands[index + 1]),
                            low <= high
                        else { continue }
                        switch operands[index + 2] {
                        case .string(let start):
                            guard let units = Self.units(.string(start)) else { continue }
                            unicodeRanges.append(UnicodeRange(low: low, high: high, target: .start(units)))
                            try count(1)
                        case .array(let items):
                            let list = items.prefix(Int(min(high - low + 1, 65_536))).map { Self.units($0) ?? [] }
                            unicodeRanges.append(UnicodeRange(low: low, high: high, target: .list(list)))
                            try count(max(1, list.count))
                        default: continue
                        }
                    }
                case "endcidchar":
                    var index = 0
                    while index + 1 < operands.count {
                        if let code = Self.codeValue(operands[index]), let cid = operands[index + 1].integerValue {
                            cidSingles[code] = cid
                            try count(1)
                        }
                        index += 2
                    }
                case "endcidrange":
                    var index = 0
                    while index + 2 < operands.count {
                        if let low = Self.codeValue(operands[index]), let high = Self.codeValue(operands[index + 1]),
                            low <= high, let cid = operands[index + 2].integerValue
                        {
                            cidRanges.append(CIDRange(low: low, high: high, firstCID: cid))
                            try count(1)
                        }
                        index += 3
                    }
                case "def":
                    if operands.count >= 2, operands[operands.count - 2].nameValue == "WMode",
                        let mode = operands.last?.integerValue
                    {
                        isVertical = mode == 1
                    }
                default: break
                }
                operands.removeAll(keepingCapacity: true)
            }
        }
        unicodeRanges.sort { $0.low < $1.low }
        cidRanges.sort { $0.low < $1.low }
    }

    init() {}

    // MARK: - Lookup

    /// Splits string bytes into codes by the codespace ranges (one byte per code when there are none).
    func codes(in bytes: [UInt8]) -> [(code: UInt32, length: Int)] {
        var result: [(code: UInt32, length: Int)] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        let shortest = codespaces.map(\.low.count).min() ?? 1
        while index < bytes.count {
            var matched = 0
            for length in 1...4 where index + length <= bytes.count {
                if codespaces.contains(where: { range in
                    guard range.low.count == length else { return false }
                    for offset in 0..<length {
                        let byte = bytes[index + offset]
                        if byte < range.low[offset] || byte > range.high[offset] { return false }
                    }
                    return true
                }) {
                    matched = length
                    break
                }
            }
            let length = matched > 0 ? matched : min(shortest, bytes.count - index)
            var code: UInt32 = 0
            for offset in 0..<length { code = code << 8 | UInt32(bytes[index + offset]) }
            result.append((code, length))
            index += length
        }
        return result
    }

    /// The Unicode text of a code, or nil when the CMap does not map it.
    func unicode(for code: UInt32) -> String? {
        if let units = unicodeSingles[code] { return String(decoding: units, as: UTF16.self) }
        guard let range = Self.lastRange(unicodeRanges, containing: code, low: \.low, high: \.high) else {
            return nil
        }
        let offset = Int(code - range.low)
        switch range.target {
        case .start(let units):
            var units = units
            guard let last = units.last else { return nil }
            units[units.count - 1] = last &+ UInt16(truncatingIfNeeded: offset)
            return String(decoding: units, as: UTF16.self)
        case .list(let list):
            guard offset < list.count, !list[offset].isEmpty else { return nil }
            return String(decoding: list[offset], as: UTF16.self)
        }
    }

    /// The CID of a code, or nil when the CMap does not map it.
    func cid(for code: UInt32) -> Int? {
        if let cid = cidSingles[code] { return cid }
        guard let range = Self.lastRange(cidRanges, containing: code, low: \.low, high: \.high) else { return nil }
        return range.firstCID + Int(code - range.low)
    }

    private static func lastRange<R>(
        _ ranges: [R], containing code: UInt32, low: KeyPath<R, UInt32>, high: KeyPath<R, UInt32>
    ) -> R? {
        // Binary search for the last range starting at or before the code, then a short look back for overlaps.
        var lower = 0, upper = ranges.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if ranges[middle][keyPath: low] <= code { lower = middle + 1 } else { upper = middle }
        }
        var index = lower - 1
        var steps = 0
        while index >= 0, steps < 16 {
            if ranges[index][keyPath: high] >= code { return ranges[index] }
            index -= 1
            steps += 1
        }
        return nil
    }

    private static func codeValue(_ object: PDFObject) -> UInt32? {
        if let bytes = object.stringValue?.bytes, !bytes.isEmpty, bytes.count <= 4 {
            return bytes.reduce(0) { $0 << 8 | UInt32($1) }
        }
        if let value = object.integerValue, value >= 0, value <= Int(UInt32.max) { return UInt32(value) }
        return nil
    }

    private static func units(_ object: PDFObject) -> [UInt16]? {
        guard let bytes = object.stringValue?.bytes, !bytes.isEmpty, bytes.count <= 512 else { return nil }
        if bytes.count == 1 { return [UInt16(bytes[0])] }
        var units: [UInt16] = []
        var index = 0
        while index + 1 < bytes.count {
            units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
            index += 2
        }
        return units
    }
}
