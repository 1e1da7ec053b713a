/// Tells a CMS ContentInfo from an SES_Signature by structure: a ContentInfo is `SEQUENCE { OBJECT IDENTIFIER, … }`,
/// an SES_Signature starts with a SEQUENCE (TBS_Sign).
enum OFDSignedValueKind {
    static func isContentInfo(_ bytes: [UInt8]) -> Bool {
        guard bytes.count > 4, bytes[0] == 0x30 else { return false }
        var index = 1
        if bytes[index] & 0x80 != 0 { index += 1 + Int(bytes[index] & 0x7F) } else { index += 1 }
        return index < bytes.count && bytes[index] == 0x06
    }

    /// A bare `SEQUENCE { INTEGER r, INTEGER s }` (or raw 64-byte r‖s): ofdrw's deprecated DigitalSignContainer
    /// writes only the signature value, without any certificate.
    static func isBareSignatureValue(_ bytes: [UInt8]) -> Bool {
        if bytes.count == 64 && bytes.first != 0x30 { return true }
        guard bytes.count >= 8, bytes.count <= 80, bytes[0] == 0x30, Int(bytes[1]) + 2 == bytes.count else { return false }
        return bytes[2] == 0x02
    }
}
