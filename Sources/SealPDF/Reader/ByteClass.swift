/// Character classes of PDF syntax (ISO 32000-1 §7.2.2).
enum ByteClass {
    /// 0 = regular, 1 = whitespace, 2 = delimiter.
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte: UInt8 in [0, 9, 10, 12, 13, 32] { table[Int(byte)] = 1 }
        for byte in "()<>[]{}/%".utf8 { table[Int(byte)] = 2 }
        return table
    }()

    @inline(__always) static func isWhitespace(_ byte: UInt8) -> Bool { table[Int(byte)] == 1 }
    @inline(__always) static func isDelimiter(_ byte: UInt8) -> Bool { table[Int(byte)] == 2 }
    @inline(__always) static func isRegular(_ byte: UInt8) -> Bool { table[Int(byte)] == 0 }
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    /// The value of a hex digit, or nil.
    @inline(__always) static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
