/// Tokenizer and object parser over a byte buffer (the file, or a decoded object stream).
///
/// Every loop advances `position` and every recursion counts depth, so hostile input ends in a
/// ``PDFError`` rather than a crash or a hang.
struct PDFParser {
    let bytes: [UInt8]
    var position: Int
    let maxDepth: Int

    init(bytes: [UInt8], position: Int = 0, maxDepth: Int = 256) {
        self.bytes = bytes
        self.position = position
        self.maxDepth = maxDepth
    }

    var atEnd: Bool { position >= bytes.count }

    @inline(__always) func peek(_ ahead: Int = 0) -> UInt8? {
        let index = position + ahead
        return index < bytes.count ? bytes[index] : nil
    }

    // MARK: - Whitespace and keywords

    /// Skips whitespace and `%` comments.
    mutating func skipWhitespace() {
        let count = bytes.count
        while position < count {
            let byte = bytes[position]
            if ByteClass.isWhitespace(byte) {
                position += 1
            } else if byte == UInt8(ascii: "%") {
                while position < count, bytes[position] != 10, bytes[position] != 13 { position += 1 }
            } else {
                return
            }
        }
    }

    /// True (and consumes it) when the next token is exactly `keyword`.
    mutating func consumeKeyword(_ keyword: StaticString) -> Bool {
        skipWhitespace()
        let length = keyword.utf8CodeUnitCount
        guard position + length <= bytes.count else { return false }
        let matches = keyword.withUTF8Buffer { word -> Bool in
            for index in 0..<length where bytes[position + index] != word[index] { return false }
            return true
        }
        guard matches else { return false }
        if position + length < bytes.count, ByteClass.isRegular(bytes[position + length]) { return false }
        position += length
        return true
    }

    /// Reads a run of regular characters (a keyword or number token) without interpreting it.
    mutating func readRegularToken() -> ArraySlice<UInt8> {
        skipWhitespace()
        let start = position
        while position < bytes.count, ByteClass.isRegular(bytes[position]) { position += 1 }
        return bytes[start..<position]
    }

    /// Reads an unsigned decimal integer token, or nil (position unchanged) when the next token is not one.
    mutating func readUnsignedInteger() -> Int? {
        skipWhitespace()
        var index = position
        var value = 0
        while index < bytes.count, ByteClass.isDigit(bytes[index]) {
            let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(Int(bytes[index] - 0x30))
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        guard index > position else { return nil }
        if index < bytes.count, ByteClass.isRegular(bytes[index]) { return nil }
        position = index
        return value
    }

    func error(_ code: PDFError.Code, _ reason: String) -> PDFError {
        PDFError(code, reason, offset: position)
    }

    // MARK: - Objects

    /// Parses one direct object (references `N G R` are recognised).
    mutating func parseObject(depth: Int = 0) throws(PDFError) -> PDFObject {
        guard depth < maxDepth else { throw error(.limitExceeded, "objects nested deeper than \(maxDepth)") }
        skipWhitespace()
        guard let byte = peek() else { throw error(.malformed, "unexpected end of data, object expected") }
        switch byte {
        case UInt8(ascii: "/"):
            position += 1
            return .name(parseNameBody())
        case UInt8(ascii: "("):
            position += 1
            return .string(try parseLiteralStringBody())
        case UInt8(ascii: "<"):
            if peek(1) == UInt8(ascii: "<") {
                position += 2
                return .dictionary(try parseDictionaryBody(depth: depth))
            }
            position += 1
            return .string(try parseHexStringBody())
        case UInt8(ascii: "["):
            position += 1
            return .array(try parseArrayBody(depth: depth))
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumberOrReference()
        default:
            let start = position
            let token = readRegularToken()
            if token.elementsEqual("true".utf8) { return .boolean(true) }
            if token.elementsEqual("false".utf8) { return .boolean(false) }
            if token.elementsEqual("null".utf8) { return .null }
            position = start
            throw error(.malformed, "unexpected token where an object was expected")
        }
    }

    /// Decodes a name after its slash (`#xx` escapes).
    mutating func parseNameBody() -> PDFName {
        let start = position
        var hasEscape = false
        while position < bytes.count, ByteClass.isRegular(bytes[position]) {
            if bytes[position] == UInt8(ascii: "#") { hasEscape = true }
            position += 1
        }
        if !hasEscape { return PDFName(bytes: Array(bytes[start..<position])) }
        var result: [UInt8] = []
        result.reserveCapacity(position - start)
        var index = start
        while index < position {
            let byte = bytes[index]
            if byte == UInt8(ascii: "#"), index + 2 < position,
                let high = ByteClass.hexValue(bytes[index + 1]), let low = ByteClass.hexValue(bytes[index + 2])
            {
                result.append(high << 4 | low)
                index += 3
            } else {
                result.append(byte)
                index += 1
            }
        }
        return PDFName(bytes: result)
    }

    mutating func parseLiteralStringBody() throws(PDFError) -> PDFString {
        var result: [UInt8] = []
        var nesting = 1
        let count = bytes.count
        while position < count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "("):
                nesting += 1
                result.append(byte)
            case UInt8(ascii: ")"):
                nesting -= 1
                if nesting == 0 { return PDFString(bytes: result, isHex: false) }
                result.append(byte)
            case UInt8(ascii: "\\"):
                guard position < count else { break }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): result.append(10)
                case UInt8(ascii: "r"): result.append(13)
                case UInt8(ascii: "t"): result.append(9)
                case UInt8(ascii: "b"): result.append(8)
                case UInt8(ascii: "f"): result.append(12)
                case 13:
                    if position < count, bytes[position] == 10 { position += 1 }
                case 10: break
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = Int(escaped - 0x30)
                    var digits = 1
                    while digits < 3, position < count, bytes[position] >= 0x30, bytes[position] <= 0x37 {
                        value = value * 8 + Int(bytes[position] - 0x30)
                        position += 1
                        digits += 1
                    }
                    result.append(UInt8(truncatingIfNeeded: value))
                default: result.append(escaped)
                }
            case 13:
                // An unescaped end-of-line in a literal string is read as a single LF.
                if position < count, bytes[position] == 10 { position += 1 }
                result.append(10)
            default:
                result.append(byte)
            }
        }
        throw error(.malformed, "unterminated literal string")
    }

    mutating func parseHexStringBody() throws(PDFError) -> PDFString {
        var result: [UInt8] = []
        var pending: UInt8?
        let count = bytes.count
        while position < count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: ">") {
                if let pending { result.append(pending << 4) }
                return PDFString(bytes: result, isHex: true)
            }
            if ByteClass.isWhitespace(byte) { continue }
            guard let value = ByteClass.hexValue(byte) else {
                position -= 1
                throw error(.malformed, "invalid character in hex string")
            }
            if let high = pending {
                result.append(high << 4 | value)
                pending = nil
            } else {
                pending = value
            }
        }
        throw error(.malformed, "unterminated hex string")
    }

    mutating func parseArrayBody(depth: Int) throws(PDFError) -> [PDFObject] {
        var items: [PDFObject] = []
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw error(.malformed, "unterminated array") }
            if byte == UInt8(ascii: "]") {
                position += 1
                return items
            }
            items.append(try parseObject(depth: depth + 1))
        }
    }

    mutating func parseDictionaryBody(depth: Int) throws(PDFError) -> PDFDictionary {
        var entries: [PDFDictionary.Entry] = []
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw error(.malformed, "unterminated dictionary") }
            if byte == UInt8(ascii: ">") {
                if peek(1) == UInt8(ascii: ">") {
                    position += 2
                    return PDFDictionary(parsedEntries: entries)
                }
                throw error(.malformed, "single '>' inside a dictionary")
            }
            guard byte == UInt8(ascii: "/") else {
                throw error(.malformed, "dictionary key is not a name")
            }
            position += 1
            let key = parseNameBody()
            skipWhitespace()
            // A key directly followed by the end of the dictionary has no value: treat it as null (absent).
            if peek() == UInt8(ascii: ">"), peek(1) == UInt8(ascii: ">") { continue }
            let value = try parseObject(depth: depth + 1)
            entries.append(PDFDictionary.Entry(key: key, value: value))
        }
    }

    /// A number, or a reference `N G R` when two unsigned integers are followed by `R`.
    mutating func parseNumberOrReference() throws(PDFError) -> PDFObject {
        let start = position
        if let first = readUnsignedInteger() {
            let afterFirst = position
            if let second = readUnsignedInteger() {
                skipWhitespace()
                if peek() == UInt8(ascii: "R"), position + 1 >= bytes.count || !ByteClass.isRegular(bytes[position + 1]) {
                    position += 1
                    return .reference(PDFReference(number: first, generation: second))
                }
            }
            position = afterFirst
            return .integer(first)
        }
        position = start
        return try parseNumber()
    }

    /// A signed integer or real (no exponent in PDF; tolerant of `--5`, `5.`, `-.5`).
    mutating func parseNumber() throws(PDFError) -> PDFObject {
        skipWhitespace()
        let start = position
        var negative = false
        while let byte = peek(), byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
            if byte == UInt8(ascii: "-") { negative.toggle() }
            position += 1
        }
        var integer = 0
        var overflow = false
        var sawDigit = false
        while let byte = peek(), ByteClass.isDigit(byte) {
            sawDigit = true
            let (p, o1) = integer.multipliedReportingOverflow(by: 10)
            let (s, o2) = p.addingReportingOverflow(Int(byte - 0x30))
            if o1 || o2 { overflow = true } else { integer = s }
            position += 1
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            var fraction = 0.0
            var scale = 0.1
            while let byte = peek(), ByteClass.isDigit(byte) {
                sawDigit = true
                fraction += Double(byte - 0x30) * scale
                scale /= 10
                position += 1
            }
            // Skip any junk glued to the number (e.g. "0.5.3") so parsing makes progress.
            while let byte = peek(), ByteClass.isRegular(byte) { position += 1 }
            let value = (overflow ? Double.greatestFiniteMagnitude : Double(integer)) + fraction
            return .real(negative ? -value : value)
        }
        guard sawDigit else {
            position = start
            throw error(.malformed, "malformed number")
        }
        while let byte = peek(), ByteClass.isRegular(byte) { position += 1 }
        if overflow { return .real(negative ? -Double.greatestFiniteMagnitude : .greatestFiniteMagnitude) }
        return .integer(negative ? -integer : integer)
    }
}
