/// A read-only view of one DER/BER TLV inside a byte array (definite lengths only), for the verifier's
/// CMS and SES parsing. Every read is bounds-checked; malformed input gives nil, never a crash.
struct DERNode {
    let bytes: [UInt8]
    /// The identifier octet (single-byte tags only).
    let tag: UInt8
    /// The whole TLV.
    let range: Range<Int>
    /// The value octets.
    let content: Range<Int>

    /// Parses the TLV at `offset`; nil when it does not fit in `limit`.
    init?(_ bytes: [UInt8], at offset: Int = 0, limit: Int? = nil) {
        let end = limit ?? bytes.count
        guard offset + 2 <= end, bytes[offset] & 0x1F != 0x1F else { return nil }
        let first = bytes[offset + 1]
        var length = 0
        var header = 2
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, offset + 2 + count <= end else { return nil }
            for index in 0..<count { length = length << 8 | Int(bytes[offset + 2 + index]) }
            header += count
        }
        guard length >= 0, offset + header + length <= end else { return nil }
        self.bytes = bytes
        self.tag = bytes[offset]
        self.range = offset..<(offset + header + length)
        self.content = (offset + header)..<(offset + header + length)
    }

    /// The TLV as bytes.
    var encoded: [UInt8] { Array(bytes[range]) }
    /// The value octets as bytes.
    var value: [UInt8] { Array(bytes[content]) }

    /// The child TLVs of a constructed value; nil when the value is not a clean sequence of TLVs.
    var children: [DERNode]? {
        var result: [DERNode] = []
        var offset = content.lowerBound
        while offset < content.upperBound {
            guard let child = DERNode(bytes, at: offset, limit: content.upperBound), result.count < 10_000 else {
                return nil
            }
            result.append(child)
            offset = child.range.upperBound
        }
        return result
    }

    /// The TLV re-tagged (e.g. `[0] IMPLICIT` signed attributes as a SET for signature checking).
    func retagged(_ newTag: UInt8) -> [UInt8] {
        var out = encoded
        out[0] = newTag
        return out
    }

    /// The value of a BIT STRING without its unused-bits octet.
    var bitStringBytes: [UInt8]? {
        guard tag == 0x03, content.count >= 1 else { return nil }
        return Array(bytes[(content.lowerBound + 1)..<content.upperBound])
    }
}
