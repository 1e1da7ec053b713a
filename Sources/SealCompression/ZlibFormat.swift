/// How a DEFLATE stream is framed.
package enum ZlibFormat: Sendable {
    /// RFC 1950: two-byte header and Adler-32 trailer (PDF FlateDecode, PNG IDAT).
    case zlib
    /// RFC 1951 raw DEFLATE, no header or checksum (ZIP entries, so OFD packages).
    case raw

    var windowBits: Int32 {
        switch self {
        case .zlib: return 15
        case .raw: return -15
        }
    }
}

/// What inflating produced, and how the stream ended.
package struct Inflation: Sendable {
    package enum Ending: Sendable, Equatable {
        /// The stream ended properly (checksum verified for ``ZlibFormat/zlib``).
        case streamEnd
        /// The input ran out before the end of the stream.
        case truncated
        /// The data is not valid DEFLATE, or its checksum does not match.
        case corrupt
        /// Output reached one byte past the caller's limit; inflating stopped there.
        case limitReached
    }

    /// The bytes inflated before the stream ended or stopped.
    package var bytes: [UInt8]
    package var ending: Ending
}
