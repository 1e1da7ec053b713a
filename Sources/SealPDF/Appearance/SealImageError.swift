/// Why a seal picture (PNG or JPEG) could not be turned into a PDF image.
public struct SealImageError: Error, Hashable, CustomStringConvertible {
    /// Stable reason codes; compare errors by code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownFormat, truncated, badChunk, badHeader, unsupported, decompression, badScanline
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// Neither a PNG nor a JPEG signature.
        public static let unknownFormat = Code(.unknownFormat)
        /// The file ends inside a chunk or segment.
        public static let truncated = Code(.truncated)
        /// A chunk's CRC or layout is wrong, or a required chunk is missing.
        public static let badChunk = Code(.badChunk)
        /// IHDR / SOF values are out of range.
        public static let badHeader = Code(.badHeader)
        /// A valid but unsupported variant (e.g. arithmetic-coded JPEG).
        public static let unsupported = Code(.unsupported)
        /// The compressed image data does not inflate.
        public static let decompression = Code(.decompression)
        /// A scanline uses an unknown filter or has the wrong length.
        public static let badScanline = Code(.badScanline)
    }

    public var code: Code
    public var reason: String
    public var file: String
    public var line: UInt

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "SealImageError.\(code): \(reason)" }

    public static func == (lhs: SealImageError, rhs: SealImageError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
