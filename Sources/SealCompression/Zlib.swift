import Foundation

internal import CSealZlib

/// One-shot zlib operations over whole buffers, each on its own ``ZlibStream``.
package enum Zlib {
    /// Inflates a whole stream, tolerating a bad ending: the result says how the stream ended and keeps what was
    /// inflated before it (PDF readers keep the readable part of a damaged stream).
    ///
    /// - Parameters:
    ///   - outputLimit: inflating stops one byte past this many bytes (``Inflation/Ending/limitReached``).
    ///   - sizeHint: the expected output size, to size the first buffer.
    ///   - afterChunk: sees the running output size after each step and may throw to stop (a ratio budget).
    package static func inflate<Failure: Error>(
        _ input: some ContiguousBytes, format: ZlibFormat, outputLimit: Int, sizeHint: Int = 0,
        afterChunk: (_ produced: Int) throws(Failure) -> Void
    ) throws(Failure) -> Inflation {
        let stream: ZlibStream
        do {
            stream = try ZlibStream(inflating: format)
        } catch {
            return Inflation(bytes: [], ending: .corrupt)
        }
        return try input.withUnsafeRawBytes { (buffer) throws(Failure) -> Inflation in
            try stream.inflate(buffer, outputLimit: outputLimit, sizeHint: sizeHint, afterChunk: afterChunk)
        }
    }

    /// Inflates a whole stream strictly: it must end properly within `outputLimit` bytes.
    ///
    /// - Throws: ``ZlibError`` `.truncated`, `.corrupt` or `.outputLimitExceeded`.
    package static func inflate(
        _ input: some ContiguousBytes, format: ZlibFormat, outputLimit: Int, sizeHint: Int = 0
    ) throws(ZlibError) -> [UInt8] {
        let result = inflate(input, format: format, outputLimit: outputLimit, sizeHint: sizeHint) { (_: Int) throws(Never) in }
        switch result.ending {
        case .streamEnd: return result.bytes
        case .truncated: throw ZlibError(.truncated, "the compressed data ends early")
        case .corrupt: throw ZlibError(.corrupt, "the compressed data is corrupt")
        case .limitReached: throw ZlibError(.outputLimitExceeded, "the data inflates beyond \(outputLimit) bytes")
        }
    }

    /// Deflates `input` into one finished stream at `level` (0–9; 6 is zlib's default).
    ///
    /// `sizedToInput`: size zlib's window and hash tables to the input (`count` bytes) instead of zlib's 32 KB window
    /// and 64 KB hash head, which it allocates and clears for every stream; for inputs of a few KB (OFD's
    /// Signature.xml, Signatures.xml) that set-up costs more than the compression. The output is ordinary DEFLATE.
    package static func deflate(
        _ input: some ContiguousBytes, format: ZlibFormat = .zlib, level: Int32 = 6, sizedToInput count: Int? = nil
    ) -> [UInt8] {
        var windowLog: Int32 = 15
        var memoryLevel: Int32 = 8
        if let count {
            // The smallest window (2^9…2^15) holding the input plus zlib's look-ahead of 262 bytes.
            while windowLog > 9, (1 << Int(windowLog - 1)) >= count + 262 { windowLog -= 1 }
            memoryLevel = max(1, min(8, windowLog - 7))
        }
        let stream: ZlibStream
        do {
            stream = try ZlibStream(deflating: format, level: level, windowLog: windowLog, memoryLevel: memoryLevel)
        } catch {
            // Only an allocation failure can stop a stream with valid parameters from starting; Swift traps on
            // those too.
            preconditionFailure("zlib could not allocate a deflate stream")
        }
        return input.withUnsafeRawBytes { stream.deflate($0) }
    }

    /// CRC-32 (ISO 3309, as ZIP and PNG store it), optionally continuing from an earlier value.
    package static func crc32(_ input: some ContiguousBytes, continuing initial: UInt32 = 0) -> UInt32 {
        input.withUnsafeRawBytes { buffer in
            var crc = uLong(initial)
            var offset = 0
            while offset < buffer.count {
                let chunk = min(buffer.count - offset, 1 << 30)
                crc = CSealZlib.crc32(crc, buffer.baseAddress!.assumingMemoryBound(to: Bytef.self) + offset, uInt(chunk))
                offset += chunk
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }
}

extension ContiguousBytes {
    /// `withUnsafeBytes` that keeps a typed error.
    fileprivate func withUnsafeRawBytes<R, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> R
    ) throws(Failure) -> R {
        let result: Result<R, Failure> = withUnsafeBytes { buffer in
            do throws(Failure) { return .success(try body(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
