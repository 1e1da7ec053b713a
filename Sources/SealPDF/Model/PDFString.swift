/// A PDF string object: raw bytes plus whether it was written as `<hex>` or `(literal)`.
public struct PDFString: Hashable, Sendable {
    /// The string's bytes (escapes decoded; decrypted when read from an encrypted document).
    public var bytes: [UInt8]
    /// True when the string was (or is to be) written in hexadecimal form.
    public var isHex: Bool

    /// Creates a string from bytes.
    public init(bytes: [UInt8], isHex: Bool = false) {
        self.bytes = bytes
        self.isHex = isHex
    }

    /// Creates a text string: PDFDocEncoding when every character fits, otherwise UTF-16BE with a BOM.
    public init(text: String) {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count)
        var fits = true
        for scalar in text.unicodeScalars {
            if let byte = PDFDocEncoding.byte(for: scalar) {
                encoded.append(byte)
            } else {
                fits = false
                break
            }
        }
        if !fits {
            encoded = [0xFE, 0xFF]
            for unit in text.utf16 { encoded.append(UInt8(unit >> 8)); encoded.append(UInt8(unit & 0xFF)) }
        }
        self.init(bytes: encoded, isHex: false)
    }

    /// The string decoded as a PDF text string: UTF-16BE (BOM FE FF), UTF-8 (BOM EF BB BF) or PDFDocEncoding.
    public var text: String {
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = 2
            while index + 1 < bytes.count {
                units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
                index += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return String(decoding: bytes[3...], as: UTF8.self)
        }
        var result = String.UnicodeScalarView()
        for byte in bytes { result.append(PDFDocEncoding.scalar(for: byte)) }
        return String(result)
    }
}
