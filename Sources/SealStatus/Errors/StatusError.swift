/// A status-service or checkpoint operation that could not be carried out. Equality compares ``code`` only;
/// `description` is a sentence saying what to do next (no key material, no SQL, no document bytes).
public struct StatusError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String {
            case statusKeyUnusable, signingFailed, unreachable, badResponse, invalidSignature, untrustedSigner
            case unknownSeal, malformedDocument, databaseFailed, checkpointsUnreadable
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The configured status key cannot be loaded or cannot sign.
        public static let statusKeyUnusable = Code(.statusKeyUnusable)
        /// Signing a response or checkpoint failed.
        public static let signingFailed = Code(.signingFailed)
        /// The status service did not answer (connection refused, timeout, DNS).
        public static let unreachable = Code(.unreachable)
        /// The status service answered with an unexpected HTTP status or an unreadable body.
        public static let badResponse = Code(.badResponse)
        /// The response's signature is missing or does not verify over the body.
        public static let invalidSignature = Code(.invalidSignature)
        /// The signature verifies but its certificate does not chain to a trusted status root.
        public static let untrustedSigner = Code(.untrustedSigner)
        /// No status service knows the seal (HTTP 404 everywhere).
        public static let unknownSeal = Code(.unknownSeal)
        /// The body is not a status document or checkpoint list of a known version, or names another seal.
        public static let malformedDocument = Code(.malformedDocument)
        /// The registry or the usage log could not be read or written.
        public static let databaseFailed = Code(.databaseFailed)
        /// A checkpoint file or URL cannot be read.
        public static let checkpointsUnreadable = Code(.checkpointsUnreadable)
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
