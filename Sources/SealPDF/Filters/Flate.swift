import SealCompression

/// FlateDecode: zlib inflate/deflate (``SealCompression``), tolerant of truncated streams and bad checksums.
enum Flate {
    /// Inflates zlib data; falls back to raw deflate (no header) and keeps what was decoded before a
    /// truncation or checksum error.
    static func inflate(_ data: [UInt8], budget: DecodeBudget) throws(PDFError) -> [UInt8] {
        if data.isEmpty { return [] }
        // Zlib header check: CMF/FLG pair divisible by 31 and method 8 → zlib; otherwise try raw deflate.
        let looksZlib = data.count >= 2 && data[0] & 0x0F == 8 && (UInt16(data[0]) << 8 | UInt16(data[1])) % 31 == 0
        let first = try run(data, format: looksZlib ? .zlib : .raw, budget: budget)
        if first.ending == .streamEnd || !first.bytes.isEmpty { return first.bytes }
        let second = try run(data, format: looksZlib ? .raw : .zlib, budget: budget)
        if second.ending == .streamEnd || !second.bytes.isEmpty { return second.bytes }
        throw PDFError(.decodeFailed, "FlateDecode data is corrupt")
    }

    private static func run(_ data: [UInt8], format: ZlibFormat, budget: DecodeBudget) throws(PDFError) -> Inflation {
        let result = try Zlib.inflate(
            data, format: format, outputLimit: budget.maxBytes,
            sizeHint: min(max(data.count * 4, 1024), budget.maxBytes, 16 << 20), afterChunk: budget.check)
        // Past the size limit: the budget names it (the chunk check may not have seen the last byte).
        if result.ending == .limitReached { try budget.check(result.bytes.count) }
        return result
    }

    /// Compresses data with zlib (level 6), for streams the writer produces.
    static func deflate(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
        Zlib.deflate(data, format: .zlib, level: level)
    }
}
