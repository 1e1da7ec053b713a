/// Hexadecimal text of bytes — digests in reports and usage rows, certificate serial numbers, PDF hex strings.
/// One table lookup per nibble into one buffer (this runs several times per signed document).
public enum Hex {
    private static let lowercaseDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let uppercaseDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// `bytes` as hexadecimal text, lowercase unless asked.
    public static func string(_ bytes: some Collection<UInt8>, uppercase: Bool = false) -> String {
        String(decoding: ascii(bytes, uppercase: uppercase), as: UTF8.self)
    }

    /// `bytes` as hexadecimal ASCII bytes (for writing straight into a PDF or DER buffer).
    public static func ascii(_ bytes: some Collection<UInt8>, uppercase: Bool = false) -> [UInt8] {
        let digits = uppercase ? uppercaseDigits : lowercaseDigits
        return digits.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: bytes.count * 2) { out, count in
                var index = 0
                for byte in bytes {
                    out[index] = table[Int(byte >> 4)]
                    out[index + 1] = table[Int(byte & 0x0F)]
                    index += 2
                }
                count = index
            }
        }
    }

    /// The bytes of hexadecimal text (either case), or nil when it is not an even number of hex digits.
    public static func bytes(_ text: some StringProtocol) -> [UInt8]? {
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
