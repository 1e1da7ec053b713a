/// A failure while reading, decoding or writing a PDF.
///
/// Errors compare equal when their ``code`` is equal; the ``reason`` and ``offset`` help a human find the
/// problem. `description` never contains document bytes.
public struct PDFError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// A short human-readable explanation (never document content).
    public var reason: String
    /// The byte offset in the input where the problem was found, when it helps.
    public var offset: Int?
    /// Where in our source the error was raised.
    public var file: String
    /// The source line the error was raised on.
    public var line: UInt

    /// Creates an error.
    public init(_ code: Code, _ reason: String, offset: Int? = nil, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.offset = offset
        self.file = file
        self.line = line
    }

    public static func == (lhs: PDFError, rhs: PDFError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String {
        if let offset { return "PDFError.\(code): \(reason) (at byte \(offset))" }
        return "PDFError.\(code): \(reason)"
    }

    /// The kind of a ``PDFError``.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case malformed, unsupportedFilter, limitExceeded, passwordRequired, wrongPassword
            case unsupportedEncryption, xrefBroken, objectNotFound, invalidArgument, decodeFailed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The bytes do not follow PDF syntax (and could not be tolerated).
        public static let malformed = Code(.malformed)
        /// A stream uses a filter we do not decode (DCT, JPX, CCITT, JBIG2 are left encoded).
        public static let unsupportedFilter = Code(.unsupportedFilter)
        /// A configured limit (``PDFLimits``) was hit: depth, size, object count or decompression ratio.
        public static let limitExceeded = Code(.limitExceeded)
        /// The document is encrypted and the empty user password does not open it: a password is needed.
        public static let passwordRequired = Code(.passwordRequired)
        /// The given password is neither the user nor the owner password.
        public static let wrongPassword = Code(.wrongPassword)
        /// The document uses a security handler or algorithm we do not implement.
        public static let unsupportedEncryption = Code(.unsupportedEncryption)
        /// The cross-reference data is broken and repair was not allowed or failed.
        public static let xrefBroken = Code(.xrefBroken)
        /// A referenced object does not exist.
        public static let objectNotFound = Code(.objectNotFound)
        /// A caller passed an argument that cannot be used (e.g. an unknown revision index).
        public static let invalidArgument = Code(.invalidArgument)
        /// Stream data could not be decoded by its filter.
        public static let decodeFailed = Code(.decodeFailed)

        public var description: String { base.rawValue }
    }
}
