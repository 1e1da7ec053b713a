import SealCompression

/// zlib in and out for seal pictures (PNG IDAT data, image XObjects), with picture errors.
enum StampZlib {
    /// Inflates a zlib stream, refusing output larger than `limit` bytes (decompression bombs).
    static func inflate(_ input: [UInt8], expectedSize: Int, limit: Int) throws -> [UInt8] {
        do {
            return try Zlib.inflate(input, format: .zlib, outputLimit: limit, sizeHint: expectedSize)
        } catch where error.code == .outputLimitExceeded {
            throw SealImageError(.decompression, "image data inflates beyond \(limit) bytes")
        } catch where error.code == .truncated {
            throw SealImageError(.decompression, "image data ends early")
        } catch {
            throw SealImageError(.decompression, "image data is not a valid zlib stream")
        }
    }

    /// Compresses with zlib (default level), for image and content streams.
    static func deflate(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        Zlib.deflate(input, format: .zlib, level: level)
    }
}
