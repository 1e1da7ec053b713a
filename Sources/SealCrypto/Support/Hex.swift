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
}
