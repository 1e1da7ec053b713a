import Foundation

/// Substring search over the file bytes (no allocation per byte).
enum ByteSearch {
    /// The first offset ≥ `from` and < `to` where `needle` starts, or nil.
    static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from: Int, to: Int? = nil) -> Int? {
        let end = min(to ?? bytes.count, bytes.count) - needle.count
        guard !needle.isEmpty, from <= end else { return nil }
        let first = needle[0]
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var index = max(0, from)
            outer: while index <= end {
                // memchr finds the candidate first byte at memory speed.
                guard let hit = memchr(base + index, Int32(first), end - index + 1) else { return nil }
                index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                for offset in 1..<needle.count where buffer[index + offset] != needle[offset] {
                    index += 1
                    continue outer
                }
                return index
            }
            return nil
        }
    }

    /// The last offset ≥ `from` where `needle` starts, searching backwards from `before`.
    static func lastIndex(of needle: [UInt8], in bytes: [UInt8], before: Int, from: Int = 0) -> Int? {
        guard !needle.isEmpty else { return nil }
        var index = min(before, bytes.count) - needle.count
        let lower = max(0, from)
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            outer: while index >= lower {
                for offset in 0..<needle.count where buffer[index + offset] != needle[offset] {
                    index -= 1
                    continue outer
                }
                return index
            }
            return nil
        }
    }
}
