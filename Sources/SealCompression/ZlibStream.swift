internal import CSealZlib

/// Owns one zlib stream: a heap-allocated `z_stream`, ended and freed in `deinit`.
///
/// zlib keeps a pointer from its internal state back to the `z_stream`, so the struct must stay at one address
/// for the stream's whole life; a Swift stack variable passed with `&` has no such promise. This class is the
/// only place in SealPress that touches a `z_stream`. Not `Sendable`: one stream, one thread at a time.
package final class ZlibStream {
    private enum Direction { case inflate, deflate }

    private let stream: UnsafeMutablePointer<z_stream>
    private let direction: Direction

    /// A stream that inflates data of the given format.
    ///
    /// - Throws: ``ZlibError/Code/outOfMemory`` when zlib cannot allocate its state.
    package init(inflating format: ZlibFormat) throws(ZlibError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        direction = .inflate
        guard CSealZlib_inflateInit2(stream, format.windowBits) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ZlibError(.outOfMemory, "zlib could not start inflating")
        }
    }

    /// A stream that deflates into the given format at `level` (0–9; 6 is zlib's default).
    ///
    /// - Throws: ``ZlibError/Code/outOfMemory`` when zlib cannot allocate its state.
    ///
    /// `windowLog` (9–15) and `memoryLevel` (1–9) size zlib's window and hash tables (the defaults are zlib's);
    /// smaller values suit small inputs: a window as large as the input finds every match a full window would,
    /// and the stream stays ordinary DEFLATE that any reader inflates.
    package init(deflating format: ZlibFormat, level: Int32 = 6, windowLog: Int32 = 15, memoryLevel: Int32 = 8)
        throws(ZlibError)
    {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        direction = .deflate
        let level = min(max(level, 0), 9)
        let window = min(max(windowLog, 9), 15)
        let bits = format.windowBits < 0 ? -window : window
        let memory = min(max(memoryLevel, 1), 9)
        guard CSealZlib_deflateInit2(stream, level, Z_DEFLATED, bits, memory, Z_DEFAULT_STRATEGY) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ZlibError(.outOfMemory, "zlib could not start deflating")
        }
    }

    deinit {
        switch direction {
        case .inflate: inflateEnd(stream)
        case .deflate: deflateEnd(stream)
        }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates all of `input` (one whole stream).
    ///
    /// Output grows from `sizeHint` up to `outputLimit` bytes; one byte past the limit is produced at most, so a
    /// caller can tell "exactly the limit" from "more" (``Inflation/ending`` is then ``Inflation/Ending/limitReached``).
    /// `afterChunk` sees the running output size after every step of at most `chunkSize` bytes and may throw to stop
    /// (e.g. a decompression-ratio budget).
    package func inflate<Failure: Error>(
        _ input: UnsafeRawBufferPointer, outputLimit: Int, sizeHint: Int = 0, chunkSize: Int = 256 * 1024,
        afterChunk: (_ produced: Int) throws(Failure) -> Void
    ) throws(Failure) -> Inflation {
        precondition(direction == .inflate, "inflate on a deflating stream")
        let cap = outputLimit >= Int.max - 1 ? Int.max : max(outputLimit, 0) + 1
        // One byte past the hint: zlib may need a call with room left to report the end of a stream that fills
        // the hint exactly, and growing a large buffer by one byte would copy all of it.
        var output = [UInt8](repeating: 0, count: min(max(sizeHint, 64), cap - 1) + 1)
        var produced = 0
        var ending = Inflation.Ending.streamEnd
        var remaining = input.count
        var cursor = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        while true {
            if produced == output.count {
                if output.count >= cap { ending = .limitReached; break }
                output.append(contentsOf: repeatElement(0, count: min(output.count, cap - output.count)))
            }
            // zlib counts in 32-bit uInt: feed at most 1 GiB of input and take at most one chunk per step.
            let feed = min(remaining, 1 << 30)
            let room = min(output.count - produced, max(chunkSize, 1))
            let (status, consumed, written) = output.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_in = cursor
                stream.pointee.avail_in = uInt(feed)
                stream.pointee.next_out = buffer.baseAddress! + produced
                stream.pointee.avail_out = uInt(room)
                let status = CSealZlib.inflate(stream, Z_NO_FLUSH)
                return (status, feed - Int(stream.pointee.avail_in), room - Int(stream.pointee.avail_out))
            }
            remaining -= consumed
            cursor = cursor.map { $0 + consumed }
            produced += written
            if written > 0 { try afterChunk(produced) }
            if status == Z_STREAM_END { ending = .streamEnd; break }
            if status == Z_OK || (status == Z_BUF_ERROR && remaining > 0) { continue }
            if status == Z_BUF_ERROR { ending = .truncated; break }
            ending = .corrupt  // Z_DATA_ERROR (bad data or checksum), Z_NEED_DICT, Z_MEM_ERROR
            break
        }
        output.removeSubrange(min(produced, output.count)...)
        return Inflation(bytes: output, ending: ending)
    }

    /// Deflates all of `input` and finishes the stream, into one buffer of zlib's worst-case bound.
    package func deflate(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(direction == .deflate, "deflate on an inflating stream")
        let bound = Int(deflateBound(stream, uLong(input.count))) + 16
        var produced = 0
        var remaining = input.count
        var cursor = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        var output = [UInt8](repeating: 0, count: bound)
        var status = Z_OK
        output.withUnsafeMutableBufferPointer { buffer in
            repeat {
                let feed = min(remaining, 1 << 30)
                let room = min(buffer.count - produced, 1 << 30)
                stream.pointee.next_in = cursor
                stream.pointee.avail_in = uInt(feed)
                stream.pointee.next_out = buffer.baseAddress! + produced
                stream.pointee.avail_out = uInt(room)
                status = CSealZlib.deflate(stream, feed == remaining ? Z_FINISH : Z_NO_FLUSH)
                let consumed = feed - Int(stream.pointee.avail_in)
                remaining -= consumed
                cursor = cursor.map { $0 + consumed }
                produced += room - Int(stream.pointee.avail_out)
            } while status == Z_OK
        }
        // deflateBound guarantees room for the whole stream; anything else is a zlib bug, not bad input.
        precondition(status == Z_STREAM_END, "zlib deflate ended with status \(status)")
        output.removeSubrange(produced...)
        return output
    }
}
