import SealCrypto

/// Turns a signature value as real signers write it into what a verifier can check.
///
/// Classes of quirk handled (GB/T 38540 files from many vendors, see Docs/seals.md):
/// - raw fixed-width `r‖s` (64 bytes for SM2) instead of DER `SEQUENCE{r, s}`;
/// - a BIT STRING whose trailing zero octets were trimmed (non-zero unused-bits count): a DER signature is
///   right-padded to its declared length, a raw one to 64 octets;
/// - DER INTEGERs r or s without their 0x00 sign octet (read as unsigned);
/// - redundant leading zero octets in r or s.
/// EC signatures are normalized to raw `r‖s` (each half 32 octets for SM2), which SealCrypto verifies.
enum SignatureValue {
    /// The octets to hand to `PublicKey.verify`, and a note when a quirk had to be undone.
    static func normalized(_ value: SESBitString, for algorithm: SignatureAlgorithm) -> (bytes: [UInt8], note: String?) {
        let bytes = Array(value.bytes)
        let isEC = algorithm == .sm2WithSM3 || algorithm.rawValue.hasPrefix("ecdsa")
        guard isEC else { return (bytes, nil) }
        let width = componentWidth(algorithm)
        if bytes.first == 0x30, let (r, s, padded) = readDERPair(bytes) {
            guard let raw = rawPair(r, s, width: width) else { return (bytes, nil) }
            return (der(raw), padded > 0 ? "DER signature right-padded with \(padded) zero octet(s) (trimmed BIT STRING)" : nil)
        }
        if bytes.count == 2 * width { return (der(bytes), "raw r‖s signature (not DER)") }
        if bytes.count < 2 * width, value.unusedBits != 0 {
            return (der(bytes + Array(repeating: 0, count: 2 * width - bytes.count)),
                "raw r‖s signature right-padded to \(2 * width) octets (trimmed BIT STRING)")
        }
        return (bytes, nil)
    }

    /// Canonical DER for a raw pair (SealCrypto verifies DER and raw alike; DER avoids any doubt).
    private static func der(_ raw: [UInt8]) -> [UInt8] {
        (try? ECSignatureEncoding.derFromRaw(raw)) ?? raw
    }

    private static func componentWidth(_ algorithm: SignatureAlgorithm) -> Int {
        switch algorithm {
        case .ecdsaWithSHA384: 48
        case .ecdsaWithSHA512: 66
        default: 32
        }
    }

    /// Reads `SEQUENCE { INTEGER r, INTEGER s }` leniently; pads a short input to the declared length.
    private static func readDERPair(_ input: [UInt8]) -> (ArraySlice<UInt8>, ArraySlice<UInt8>, Int)? {
        var bytes = input
        guard bytes.count >= 2 else { return nil }
        var index = 1
        guard let (declared, headerEnd) = readLength(bytes, &index) else { return nil }
        _ = headerEnd
        let total = index + declared
        var padded = 0
        if bytes.count < total {
            padded = total - bytes.count
            guard padded <= 8 else { return nil }
            bytes += Array(repeating: 0, count: padded)
        } else if bytes.count > total, bytes[total...].allSatisfy({ $0 == 0 }) {
            bytes.removeLast(bytes.count - total)  // zero octets appended after the SEQUENCE
        }
        guard bytes.count == total else { return nil }
        func integer() -> ArraySlice<UInt8>? {
            guard index < bytes.count, bytes[index] == 0x02 else { return nil }
            index += 1
            guard let (length, _) = readLength(bytes, &index), length > 0, index + length <= bytes.count else { return nil }
            defer { index += length }
            return bytes[index..<index + length]
        }
        guard let r = integer(), let s = integer(), index == bytes.count else { return nil }
        return (r, s, padded)
    }

    private static func readLength(_ bytes: [UInt8], _ index: inout Int) -> (Int, Int)? {
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        index += 1
        if first < 0x80 { return (Int(first), index) }
        let count = Int(first & 0x7F)
        guard count >= 1, count <= 2, index + count <= bytes.count else { return nil }
        var length = 0
        for _ in 0..<count {
            length = length << 8 | Int(bytes[index])
            index += 1
        }
        return (length, index)
    }

    /// `r‖s`, each as an unsigned big-endian number left-padded to `width` octets.
    private static func rawPair(_ r: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>, width: Int) -> [UInt8]? {
        func fixed(_ value: ArraySlice<UInt8>) -> [UInt8]? {
            let trimmed = value.drop(while: { $0 == 0 })
            guard trimmed.count <= width else { return nil }
            return Array(repeating: 0, count: width - trimmed.count) + trimmed
        }
        guard let r = fixed(r), let s = fixed(s) else { return nil }
        return r + s
    }
}
