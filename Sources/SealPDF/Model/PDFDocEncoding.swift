/// PDFDocEncoding (ISO 32000-1 Annex D.2): Latin-1 with typographic characters in 0x18–0x1F and 0x80–0xA0.
enum PDFDocEncoding {
    private static let low: [UInt32] = [0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC]
    private static let high: [UInt32] = [
        0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212, 0x2030, 0x201E,
        0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017D,
        0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0xFFFD, 0x20AC,
    ]

    /// The Unicode scalar a byte stands for (U+FFFD for undefined codes).
    static func scalar(for byte: UInt8) -> Unicode.Scalar {
        let value: UInt32
        switch byte {
        case 0x18...0x1F: value = low[Int(byte) - 0x18]
        case 0x80...0xA0: value = high[Int(byte) - 0x80]
        case 0xAD: value = 0xFFFD
        default: value = UInt32(byte)
        }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    /// The byte for a scalar, or nil when PDFDocEncoding cannot represent it.
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0xA1...0xAC, 0xAE...0xFF: return UInt8(value)
        default:
            if let index = low.firstIndex(of: value) { return UInt8(0x18 + index) }
            if value != 0xFFFD, let index = high.firstIndex(of: value) { return UInt8(0x80 + index) }
            return nil
        }
    }
}
