internal import CSealZlib

/// zlib inflate/deflate, tolerant of truncated streams and bad checksums.
enum Flate {
    /// Inflates zlib data; falls back to raw deflate (no header) and keeps what was decoded before a
    /// truncation or checksum error.
    static func inflate(_ data: [UInt8], budget: DecodeBudget) throws(PDFError) -> [UInt8] {
        if data.isEmpty { return [] }
        // Zlib header check: CMF/FLG pair divisible by 31 and method 8 → zlib; otherwise try raw deflate.
        let looksZlib = data.count >= 2 && data[0] & 0x0F == 8 && (UInt16(data[0]) << 8 | UInt16(data[1])) % 31 == 0
        let first = try run(data, windowBits: looksZlib ? 15 : -15, budget: budget)
        if first.ok || !first.output.isEmpty { return first.output }
        let second = try run(data, windowBits: looksZlib ? -15 : 15, budget: budget)
        if second.ok || !second.output.isEmpty { return second.output }
        throw PDFError(.decodeFailed, "FlateDecode data is corrupt")
    }

    private static func run(_ data: [UInt8], windowBits: Int32, budget: DecodeBudget)
        throws(PDFError) -> (output: [UInt8], ok: Bool)
    {
        var stream = z_stream()
        guard CSealZlib_inflateInit2(&stream, windowBits) == Z_OK else {
            throw PDFError(.decodeFailed, "zlib could not initialise")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(max(data.count * 4, 1024), budget.maxBytes, 16 << 20))
        let chunkSize = 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var ok = false
        var failure: PDFError?
        var input = data
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                while true {
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkSize)
                    let status = zlibInflate(&stream)
                    let produced = chunkSize - Int(stream.avail_out)
                    if produced > 0 {
                        output.append(contentsOf: chunkBuffer[0..<produced])
                        do throws(PDFError) { try budget.check(output.count) } catch {
                            failure = error
                            return
                        }
                    }
                    if status == Z_STREAM_END { ok = true; return }
                    if status == Z_OK && (stream.avail_in > 0 || produced > 0) { continue }
                    // Z_BUF_ERROR with no input left: truncated stream; Z_DATA_ERROR: corrupt or bad checksum.
                    return
                }
            }
        }
        if let failure { throw failure }
        return (output, ok)
    }

    @inline(__always) private static func zlibInflate(_ stream: inout z_stream) -> Int32 {
        CSealZlib.inflate(&stream, Z_NO_FLUSH)
    }

    /// Compresses data with zlib (level 6), for streams the writer produces.
    static func deflate(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
        var destinationLength = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(destinationLength))
        let status = output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &destinationLength, input.baseAddress, uLong(input.count), level)
            }
        }
        precondition(status == Z_OK, "compress2 cannot fail with a compressBound-sized buffer")
        output.removeSubrange(Int(destinationLength)...)
        return output
    }
}
