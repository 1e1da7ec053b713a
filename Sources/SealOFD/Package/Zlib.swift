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

    /// Inflates raw DEFLATE data into exactly `expectedSize` bytes; more output than that (or than `limit`) is an
    /// error, so a lying directory can never make it allocate beyond what the limits allowed.
    static func inflate(_ input: ArraySlice<UInt8>, expectedSize: Int, limit: Int) throws(OFDError) -> [UInt8] {
        let capacity = min(max(expectedSize, 0), limit)
        let stream = ZStream()
        guard CSealZlib_inflateInit2(stream.pointer, -15) == Z_OK else {
            throw OFDError(.corruptZip, "zlib could not start inflating")
        }
        stream.kind = .inflate
        // One spare byte reveals data that inflates beyond the declared size.
        var output = [UInt8](repeating: 0, count: capacity + 1)
        var status: Int32 = Z_OK
        let produced: Int = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.pointer.pointee.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.pointer.pointee.avail_in = uInt(inBuffer.count)
                stream.pointer.pointee.next_out = outBuffer.baseAddress
                stream.pointer.pointee.avail_out = uInt(outBuffer.count)
                repeat {
                    status = CSealZlib.inflate(stream.pointer, Z_FINISH)
                } while status == Z_OK && stream.pointer.pointee.avail_out > 0 && stream.pointer.pointee.avail_in > 0
                return outBuffer.count - Int(stream.pointer.pointee.avail_out)
            }
        }
        if produced > capacity {
            throw OFDError(.entryTooLarge, "an entry inflates beyond its declared size")
        }
        guard status == Z_STREAM_END else {
            throw OFDError(.corruptZip, "an entry's compressed data is corrupt or ends early")
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// Deflates bytes as raw DEFLATE at the default level, into one buffer of zlib's worst-case bound.
    static func deflate(_ input: [UInt8]) throws(OFDError) -> [UInt8] {
        let stream = ZStream()
        guard CSealZlib_deflateInit2(stream.pointer, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK else {
            throw OFDError(.signingFailed, "zlib could not start deflating")
        }
        stream.kind = .deflate
        let bound = Int(deflateBound(stream.pointer, uLong(input.count))) + 16
        var output = [UInt8](repeating: 0, count: bound)
        var status: Int32 = Z_OK
        let produced: Int = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.pointer.pointee.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.pointer.pointee.avail_in = uInt(inBuffer.count)
                stream.pointer.pointee.next_out = outBuffer.baseAddress
                stream.pointer.pointee.avail_out = uInt(outBuffer.count)
                repeat {
                    status = CSealZlib.deflate(stream.pointer, Z_FINISH)
                } while status == Z_OK && stream.pointer.pointee.avail_out > 0
                return outBuffer.count - Int(stream.pointer.pointee.avail_out)
            }
        }
        guard status == Z_STREAM_END else { throw OFDError(.signingFailed, "zlib could not deflate a file") }
        output.removeLast(output.count - produced)
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
