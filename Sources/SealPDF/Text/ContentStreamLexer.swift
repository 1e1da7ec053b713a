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

    /// The next token, or nil at the end of the data.
    mutating func next() -> Token? {
        while true {
            parser.skipWhitespace()
            guard let byte = parser.peek() else { return nil }
            if Self.startsOperator(byte) {
                let token = parser.readRegularToken()
                if token.isEmpty {
                    parser.position += 1
                    continue
                }
                let word = String(decoding: token, as: UTF8.self)
                switch word {
                case "true": return .operand(.boolean(true))
                case "false": return .operand(.boolean(false))
                case "null": return .operand(.null)
                case "BI":
                    skipInlineImage()
                    continue
                default: return .operator(word)
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
