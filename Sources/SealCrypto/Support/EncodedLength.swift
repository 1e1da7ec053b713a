/// The length of the first BER/DER element in a buffer that may carry padding after it (a PDF signature's
/// /Contents is zero-filled to its reserved size).
///
/// Definite lengths are read from the header; indefinite lengths (`30 80 … 00 00`, as several signing libraries
/// write CMS) are found by walking the nested elements up to their end-of-contents marker. Bounded: at most
/// `maximumDepth` levels and one pass over the bytes.
public enum EncodedLength {
    public static let maximumDepth = 64

    /// The byte count of the element starting at offset 0, or nil when the bytes do not hold a whole one.
    public static func ofFirstElement(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            element(at: 0, in: buffer, depth: 0).map { $0 }
        }
    }

    /// The end offset of the element starting at `start`.
    private static func element(at start: Int, in bytes: UnsafeBufferPointer<UInt8>, depth: Int) -> Int? {
        guard depth <= maximumDepth, start < bytes.count else { return nil }
        var index = start
        let identifier = bytes[index]
        index += 1
        if identifier & 0x1F == 0x1F {  // high tag number: base-128 continuation bytes
            var count = 0
            while index < bytes.count, bytes[index] & 0x80 != 0 {
                index += 1
                count += 1
                if count > 4 { return nil }
            }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        index += 1
        if first == 0x80 {
            // Indefinite: constructed only; children until 00 00.
            guard identifier & 0x20 != 0 else { return nil }
            while true {
                guard index + 1 < bytes.count else { return nil }
                if bytes[index] == 0, bytes[index + 1] == 0 { return index + 2 }
                guard let end = element(at: index, in: bytes, depth: depth + 1) else { return nil }
                index = end
            }
        }
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, index + count <= bytes.count else { return nil }
            for offset in 0..<count { length = length << 8 | Int(bytes[index + offset]) }
            index += count
        }
        let end = index + length
        return end <= bytes.count ? end : nil
    }
}
