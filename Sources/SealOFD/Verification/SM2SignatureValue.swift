import ElectronicSeal

/// Recovers the signature value a signer meant from the encodings real files carry (never produced by us):
/// raw 64-byte `r‖s`, a DER `SEQUENCE{r,s}` whose trailing zero octets were trimmed (Suwell SDK), and INTEGERs
/// missing their 0x00 sign octet.
enum SM2SignatureValue {
    /// The candidate encodings to try, most faithful first.
    static func candidates(_ bits: SESBitString) -> [[UInt8]] {
        candidates(Array(bits.bytes), padded: { bits.octets(padTo: $0) })
    }

    static func candidates(_ raw: [UInt8], padded: ((Int) -> [UInt8])? = nil) -> [[UInt8]] {
        var out: [[UInt8]] = [raw]
        if raw.count >= 2, raw[0] == 0x30, raw[1] < 0x80, raw.count < Int(raw[1]) + 2 {
            let pad = padded ?? { length in raw + [UInt8](repeating: 0, count: length - raw.count) }
            out.append(pad(Int(raw[1]) + 2))
        }
        if raw.count < 64, raw.first != 0x30 {
            out.append(raw + [UInt8](repeating: 0, count: 64 - raw.count))
        }
        for candidate in out {
            if let fixed = unsignedRS(candidate) { out.append(fixed) }
        }
        return out
    }

    /// Reads `SEQUENCE { INTEGER r, INTEGER s }` with r and s as unsigned magnitudes and returns raw `r‖s`.
    static func unsignedRS(_ der: [UInt8]) -> [UInt8]? {
        guard der.count >= 8, der[0] == 0x30 else { return nil }
        var index = der[1] < 0x80 ? 2 : 2 + Int(der[1] & 0x7F)
        var parts: [[UInt8]] = []
        for _ in 0..<2 {
            guard index + 2 <= der.count, der[index] == 0x02, der[index + 1] < 0x80 else { return nil }
            let length = Int(der[index + 1])
            guard index + 2 + length <= der.count else { return nil }
            var value = Array(der[(index + 2)..<(index + 2 + length)])
            while value.count > 32, value.first == 0 { value.removeFirst() }
            guard value.count <= 32 else { return nil }
            parts.append([UInt8](repeating: 0, count: 32 - value.count) + value)
            index += 2 + length
        }
        return parts[0] + parts[1]
    }
}
