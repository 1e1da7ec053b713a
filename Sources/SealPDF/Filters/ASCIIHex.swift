/// ASCIIHexDecode: pairs of hex digits up to `>`, whitespace ignored.
enum ASCIIHex {
    static func decode(_ data: [UInt8]) throws(PDFError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count / 2)
        var pending: UInt8?
        for byte in data {
            if byte == UInt8(ascii: ">") { break }
            if ByteClass.isWhitespace(byte) { continue }
            guard let value = ByteClass.hexValue(byte) else {
                throw PDFError(.decodeFailed, "invalid character in ASCIIHexDecode data")
            }
            if let high = pending {
                output.append(high << 4 | value)
                pending = nil
            } else {
                pending = value
            }
        }
        if let pending { output.append(pending << 4) }
        return output
    }
}
