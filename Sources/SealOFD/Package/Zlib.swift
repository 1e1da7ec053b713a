internal import CSealZlib

/// Raw DEFLATE (no zlib header) compression and decompression, and CRC-32, over zlib.
enum Zlib {
    /// CRC-32 as ZIP stores it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            var crc: uLong = CSealZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < buffer.count {
                let chunk = min(buffer.count - offset, Int(UInt32.max >> 1))
                crc = CSealZlib.crc32(crc, buffer.baseAddress! + offset, uInt(chunk))
                offset += chunk
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }

    /// Inflates raw DEFLATE data, refusing to produce more than `limit` bytes.
    static func inflate(_ input: ArraySlice<UInt8>, expectedSize: Int, limit: Int) throws(OFDError) -> [UInt8] {
        let stream = ZStream()
        guard CSealZlib_inflateInit2(stream.pointer, -15) == Z_OK else {
            throw OFDError(.corruptZip, "zlib could not start inflating")
        }
        stream.kind = .inflate
        var output = [UInt8]()
        output.reserveCapacity(min(max(expectedSize, 0), limit))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = Z_OK
        var result: Result<Void, OFDError> = .success(())
        input.withUnsafeBufferPointer { inBuffer in
            stream.pointer.pointee.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.pointer.pointee.avail_in = uInt(inBuffer.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.pointer.pointee.next_out = outBuffer.baseAddress
                    stream.pointer.pointee.avail_out = uInt(outBuffer.count)
                    status = CSealZlib.inflate(stream.pointer, Z_NO_FLUSH)
                    return outBuffer.count - Int(stream.pointer.pointee.avail_out)
                }
                if status != Z_OK && status != Z_STREAM_END {
                    result = .failure(OFDError(.corruptZip, "an entry's compressed data is corrupt"))
                    return
                }
                if output.count + produced > limit {
                    result = .failure(OFDError(.entryTooLarge, "an entry inflates beyond the size limit"))
                    return
                }
                output.append(contentsOf: chunk[0..<produced])
                if produced == 0 && status == Z_OK && stream.pointer.pointee.avail_in == 0 {
                    result = .failure(OFDError(.corruptZip, "an entry's compressed data ends early"))
                    return
                }
            } while status != Z_STREAM_END
        }
        try result.get()
        return output
    }

    /// Deflates bytes as raw DEFLATE at the default level.
    static func deflate(_ input: [UInt8]) throws(OFDError) -> [UInt8] {
        let stream = ZStream()
        guard CSealZlib_deflateInit2(stream.pointer, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK else {
            throw OFDError(.signingFailed, "zlib could not start deflating")
        }
        stream.kind = .deflate
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = Z_OK
        input.withUnsafeBufferPointer { inBuffer in
            stream.pointer.pointee.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.pointer.pointee.avail_in = uInt(inBuffer.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.pointer.pointee.next_out = outBuffer.baseAddress
                    stream.pointer.pointee.avail_out = uInt(outBuffer.count)
                    status = CSealZlib.deflate(stream.pointer, Z_FINISH)
                    return outBuffer.count - Int(stream.pointer.pointee.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
            } while status == Z_OK || status == Z_BUF_ERROR && stream.pointer.pointee.avail_out == 0
        }
        guard status == Z_STREAM_END else { throw OFDError(.signingFailed, "zlib could not deflate a file") }
        return output
    }
}

/// Owns one `z_stream` and ends it in deinit.
private final class ZStream {
    enum Kind { case none, inflate, deflate }
    let pointer: UnsafeMutablePointer<z_stream>
    var kind: Kind = .none

    init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: z_stream())
    }

    deinit {
        switch kind {
        case .inflate: inflateEnd(pointer)
        case .deflate: deflateEnd(pointer)
        case .none: break
        }
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }
}
