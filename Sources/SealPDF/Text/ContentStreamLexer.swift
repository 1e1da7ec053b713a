/// Splits a content stream (or a CMap) into operands and operators (ISO 32000 §7.8.2).
///
/// Malformed bytes are skipped one at a time, inline images (`BI … ID … EI`) are stepped over, and every call
/// advances, so any input ends.
struct ContentStreamLexer {
    enum Token {
        case operand(PDFObject)
        case `operator`(String)
    }

    private var parser: PDFParser
    /// Bytes walked by parses that failed; past the allowance the rest of the data is skipped, so a stream of
    /// unterminated strings and arrays cannot make lexing quadratic.
    private var wastedWork = 0
    private let wasteAllowance: Int

    init(bytes: [UInt8], maxDepth: Int = 32) {
        parser = PDFParser(bytes: bytes, position: 0, maxDepth: maxDepth)
        wasteAllowance = 4 * bytes.count + 65_536
    }

    /// The byte offset reached.
    var position: Int { parser.position }

    /// An operator as a number (see ``code(_:)``), for the text interpreter's dispatch without a `String` per
    /// operator.
    enum CodedToken {
        case operand(PDFObject)
        case `operator`(UInt32)
    }

    /// The code of an operator word: its length and bytes packed (operators of up to three bytes are told apart
    /// exactly; every longer word is ``longWord``).
    @inline(__always) static func code(_ word: StaticString) -> UInt32 {
        word.withUTF8Buffer { code($0) }
    }

    static let longWord: UInt32 = 0xFFFF_FFFF

    @inline(__always) static func code<C: Collection<UInt8>>(_ word: C) -> UInt32 {
        let count = word.count
        guard count <= 3 else { return longWord }
        var value = UInt32(count) << 24
        var shift: UInt32 = 16
        for byte in word {
            value |= UInt32(byte) << shift
            shift &-= 8
        }
        return value
    }

    /// The next token, or nil at the end of the data.
    mutating func next() -> Token? {
        switch nextRaw() {
        case .operand(let object)?: return .operand(object)
        case .word(let range)?: return .operator(String(decoding: parser.bytes[range], as: UTF8.self))
        case nil: return nil
        }
    }

    /// The next token with the operator as its code (``code(_:)``), or nil at the end of the data.
    mutating func nextCoded() -> CodedToken? {
        switch nextRaw() {
        case .operand(let object)?: return .operand(object)
        case .word(let range)?: return .operator(Self.code(parser.bytes[range]))
        case nil: return nil
        }
    }

    private enum RawToken {
        case operand(PDFObject)
        case word(Range<Int>)
    }

    private mutating func nextRaw() -> RawToken? {
        while true {
            parser.skipWhitespace()
            guard let byte = parser.peek() else { return nil }
            if Self.startsOperator(byte) {
                let start = parser.position
                let bytes = parser.bytes
                let count = bytes.count
                var end = start
                while end < count, ByteClass.isRegular(bytes[end]) { end += 1 }
                parser.position = end
                if end == start {
                    parser.position += 1
                    continue
                }
                switch end - start {
                case 2 where bytes[start] == UInt8(ascii: "B") && bytes[start + 1] == UInt8(ascii: "I"):
                    skipInlineImage()
                    continue
                case 4 where bytes[start...].starts(with: "true".utf8): return .operand(.boolean(true))
                case 4 where bytes[start...].starts(with: "null".utf8): return .operand(.null)
                case 5 where bytes[start...].starts(with: "false".utf8): return .operand(.boolean(false))
                default: return .word(start..<end)
                }
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ")")
                || byte == UInt8(ascii: "]") || byte == UInt8(ascii: ">")
            {
                parser.position += 1
                continue
            }
            let start = parser.position
            do {
                let object = try parser.parseObject()
                return .operand(object)
            } catch {
                wastedWork += max(1, parser.position - start)
                if wastedWork > wasteAllowance {
                    parser.position = parser.bytes.count
                    return nil
                }
                parser.position = start + 1
            }
        }
    }

    private static func startsOperator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "*"), UInt8(ascii: "_"):
            return true
        default: return false
        }
    }

    /// Steps over an inline image: its dictionary up to `ID`, then the data up to a whitespace-delimited `EI`.
    private mutating func skipInlineImage() {
        let bytes = parser.bytes
        // The dictionary part: tokens until the ID operator.
        while true {
            parser.skipWhitespace()
            guard let byte = parser.peek() else { return }
            if Self.startsOperator(byte) {
                let token = parser.readRegularToken()
                if token.elementsEqual("ID".utf8) { break }
                if token.isEmpty { parser.position += 1 }
                continue
            }
            let start = parser.position
            if (try? parser.parseObject()) == nil {
                wastedWork += max(1, parser.position - start)
                if wastedWork > wasteAllowance {
                    parser.position = bytes.count
                    return
                }
                parser.position = start + 1
            }
        }
        var index = parser.position + 1  // one whitespace byte after ID
        let count = bytes.count
        while index + 1 < count {
            if bytes[index] == UInt8(ascii: "E"), bytes[index + 1] == UInt8(ascii: "I"),
                index > 0, ByteClass.isWhitespace(bytes[index - 1]),
                index + 2 >= count || ByteClass.isWhitespace(bytes[index + 2]) || !ByteClass.isRegular(bytes[index + 2])
            {
                parser.position = index + 2
                return
            }
            index += 1
        }
        parser.position = count
    }
}
