import SwiftASN1

/// Conversions between the DER `SEQUENCE { r INTEGER, s INTEGER }` form of SM2/ECDSA signatures and the raw
/// fixed-width `r‖s` form some Chinese signers write.
public enum ECSignatureEncoding {
    /// DER `SEQUENCE { r, s }` for a raw `r‖s` signature of even length (64 bytes for SM2 and P-256).
    public static func derFromRaw(_ raw: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard raw.count >= 2, raw.count % 2 == 0 else {
            throw CryptoError(.invalidArgument, "raw r||s signature must have an even length")
        }
        let half = raw.count / 2
        let r = trimmed(raw[0..<half])
        let s = trimmed(raw[half...])
        var serializer = DER.Serializer()
        do {
            try serializer.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(r)
                try coder.serialize(s)
            }
        } catch {
            throw CryptoError(.malformedDER, "cannot encode r and s")
        }
        return serializer.serializedBytes
    }

    /// Raw `r‖s`, each padded to `componentLength` bytes, from a DER signature.
    public static func rawFromDER(_ der: [UInt8], componentLength: Int = 32) throws(CryptoError) -> [UInt8] {
        do {
            let node = try DER.parse(der)
            let (r, s) = try DER.sequence(node, identifier: .sequence) { nodes in
                (try ArraySlice<UInt8>(derEncoded: &nodes), try ArraySlice<UInt8>(derEncoded: &nodes))
            }
            let rr = trimmed(r), ss = trimmed(s)
            guard rr.count <= componentLength, ss.count <= componentLength else {
                throw CryptoError(.malformedDER, "r or s longer than the curve order")
            }
            return [UInt8](repeating: 0, count: componentLength - rr.count) + rr
                + [UInt8](repeating: 0, count: componentLength - ss.count) + ss
        } catch let error as CryptoError {
            throw error
        } catch {
            throw CryptoError(.malformedDER, "signature is not a DER SEQUENCE of two INTEGERs")
        }
    }

    /// The canonical DER of a sloppily encoded `SEQUENCE { r, s }`, or nil when it is not one at all.
    ///
    /// Real signers write INTEGERs without the 0x00 sign octet (so r or s looks negative), with extra leading
    /// zeros, long-form lengths, or zero padding after the SEQUENCE (fixed-size buffers). OpenSSL rejects all of
    /// these; the value (r, s) is still unambiguous, so verification retries with the canonical form.
    public static func canonicalDER(_ bytes: [UInt8]) -> [UInt8]? {
        var index = 0
        func readLength() -> Int? {
            guard index < bytes.count else { return nil }
            let first = bytes[index]
            index += 1
            if first < 0x80 { return Int(first) }
            let count = Int(first & 0x7f)
            guard count >= 1, count <= 2, index + count <= bytes.count else { return nil }
            var length = 0
            for _ in 0..<count {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
            return length
        }
        func readInteger(limit: Int) -> ArraySlice<UInt8>? {
            guard index < limit, bytes[index] == 0x02 else { return nil }
            index += 1
            guard let length = readLength(), length >= 1, length <= 80, index + length <= limit else { return nil }
            defer { index += length }
            return bytes[index..<(index + length)]
        }
        guard bytes.first == 0x30 else { return nil }
        index = 1
        guard let length = readLength(), index + length <= bytes.count else { return nil }
        let end = index + length
        guard let r = readInteger(limit: end), let s = readInteger(limit: end), index == end else { return nil }
        // Anything after the SEQUENCE must be zero padding.
        guard bytes[end...].allSatisfy({ $0 == 0 }) else { return nil }
        var serializer = DER.Serializer()
        do {
            try serializer.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(trimmed(r))
                try coder.serialize(trimmed(s))
            }
        } catch {
            return nil
        }
        return serializer.serializedBytes
    }

    /// True when `bytes` is exactly one DER `SEQUENCE { INTEGER, INTEGER }`.
    static func isDER(_ bytes: [UInt8]) -> Bool {
        guard bytes.first == 0x30, let node = try? DER.parse(bytes) else { return false }
        let parsed: Bool? = try? DER.sequence(node, identifier: .sequence) { nodes in
            _ = try ArraySlice<UInt8>(derEncoded: &nodes)
            _ = try ArraySlice<UInt8>(derEncoded: &nodes)
            return true
        }
        return parsed == true
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while slice.count > 1, slice.first == 0 { slice = slice.dropFirst() }
        return slice
    }
}
