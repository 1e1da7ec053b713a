internal import CSealZlib

/// zlib in and out for seal pictures (PNG IDAT data, image XObjects). Whole buffers; pictures are small.
enum StampZlib {
    /// Inflates a zlib stream, refusing output larger than `limit` bytes (decompression bombs).
    static func inflate(_ input: [UInt8], expectedSize: Int, limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard CSealZlib_inflateInit2(&stream, 15) == Z_OK else {
            throw SealImageError(.decompression, "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(expectedSize, 64))
        var produced = 0
        var status = Z_OK
        var input = input
        try input.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            while true {
                if produced == output.count {
                    guard output.count < limit else {
                        throw SealImageError(.decompression, "image data inflates beyond \(limit) bytes")
                    }
                    output.append(contentsOf: [UInt8](repeating: 0, count: min(output.count, limit - output.count)))
                }
                status = output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress! + produced
                    stream.avail_out = uInt(outBuffer.count - produced)
                    let rc = CSealZlib.inflate(&stream, Z_NO_FLUSH)
                    produced = outBuffer.count - Int(stream.avail_out)
                    return rc
                }
                if status == Z_STREAM_END { break }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    throw SealImageError(.decompression, "image data ends early")
                }
                guard status == Z_OK || status == Z_BUF_ERROR else {
                    throw SealImageError(.decompression, "image data is not a valid zlib stream")
                }
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Compresses with zlib (default level), for image and content streams.
    static func deflate(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard CSealZlib_deflateInit2(&stream, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) == Z_OK else {
            preconditionFailure("zlib deflateInit2 failed with valid parameters")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 16)
        var input = input
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                let rc = CSealZlib.deflate(&stream, Z_FINISH)
                precondition(rc == Z_STREAM_END, "deflateBound guarantees room")
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(produced...)
        return output
    }
}
