/// The X.509 keyUsage bits (RFC 5280 §4.2.1.3).
public struct KeyUsage: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let digitalSignature = KeyUsage(rawValue: 1 << 0)
    /// Also called contentCommitment.
    public static let nonRepudiation = KeyUsage(rawValue: 1 << 1)
    public static let keyEncipherment = KeyUsage(rawValue: 1 << 2)
    public static let dataEncipherment = KeyUsage(rawValue: 1 << 3)
    public static let keyAgreement = KeyUsage(rawValue: 1 << 4)
    public static let keyCertSign = KeyUsage(rawValue: 1 << 5)
    public static let cRLSign = KeyUsage(rawValue: 1 << 6)
    public static let encipherOnly = KeyUsage(rawValue: 1 << 7)
    public static let decipherOnly = KeyUsage(rawValue: 1 << 8)

    private static let names: [(KeyUsage, String)] = [
        (.digitalSignature, "digitalSignature"), (.nonRepudiation, "nonRepudiation"),
        (.keyEncipherment, "keyEncipherment"), (.dataEncipherment, "dataEncipherment"),
        (.keyAgreement, "keyAgreement"), (.keyCertSign, "keyCertSign"), (.cRLSign, "cRLSign"),
        (.encipherOnly, "encipherOnly"), (.decipherOnly, "decipherOnly"),
    ]

    public var description: String { Self.names.filter { contains($0.0) }.map(\.1).joined(separator: ",") }

    /// From the BIT STRING content (first octet = unused bits).
    init(bitStringContent bytes: [UInt8]) {
        var value: UInt16 = 0
        for bit in 0..<9 {
            let byteIndex = bit / 8
            guard byteIndex < bytes.count else { break }
            if bytes[byteIndex] & (0x80 >> UInt8(bit % 8)) != 0 { value |= 1 << UInt16(bit) }
        }
        self.init(rawValue: value)
    }

    /// DER BIT STRING value bytes (without the unused-bits octet) and the unused-bit count, minimal form.
    var bitStringEncoding: (bytes: [UInt8], unusedBits: Int) {
        var highest = -1
        for bit in 0..<9 where rawValue & (1 << UInt16(bit)) != 0 { highest = bit }
        guard highest >= 0 else { return ([], 0) }
        let byteCount = highest / 8 + 1
        var bytes = [UInt8](repeating: 0, count: byteCount)
        for bit in 0...highest where rawValue & (1 << UInt16(bit)) != 0 { bytes[bit / 8] |= 0x80 >> UInt8(bit % 8) }
        return (bytes, 7 - highest % 8)
    }
}
