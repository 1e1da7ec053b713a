/// ASCII85Decode: groups of five base-85 digits, `z` for four zero bytes, ends at `~>`.
enum ASCII85 {
    static func decode(_ data: [UInt8]) throws(PDFError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count * 4 / 5)
        var group: UInt64 = 0
        var count = 0
        var index = 0
        if data.count >= 2, data[0] == UInt8(ascii: "<"), data[1] == UInt8(ascii: "~") { index = 2 }
        while index < data.count {
            let byte = data[index]
            index += 1
            if byte == UInt8(ascii: "~") { break }
            if ByteClass.isWhitespace(byte) { continue }
            if byte == UInt8(ascii: "z"), count == 0 {
                output.append(contentsOf: [0, 0, 0, 0])
                continue
            }
            guard byte >= 0x21, byte <= 0x75 else {
                throw PDFError(.decodeFailed, "invalid character in ASCII85Decode data")
            }
            group = group * 85 + UInt64(byte - 0x21)
            count += 1
            if count == 5 {
                guard group <= 0xFFFF_FFFF else { throw PDFError(.decodeFailed, "ASCII85 group overflows") }
                output.append(contentsOf: [UInt8(group >> 24), UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)])
                group = 0
                count = 0
            }
        }
        if count == 1 { throw PDFError(.decodeFailed, "ASCII85 data ends with a single digit") }
        if count > 1 {
            for _ in count..<5 { group = group * 85 + 84 }
            guard group <= 0xFFFF_FFFF else { throw PDFError(.decodeFailed, "ASCII85 group overflows") }
            let full = [UInt8(group >> 24), UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)]
            output.append(contentsOf: full[0..<(count - 1)])
        }
        return output
    }
}
