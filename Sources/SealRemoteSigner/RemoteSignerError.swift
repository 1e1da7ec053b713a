/// A remote signing exchange that did not give a signature. Equality is on ``code``.
///
/// ``isRetryable`` tells a caller (a stamp job) whether the same request may succeed later: a service that is down,
/// hangs or answers 5xx is retryable; a refusal (403), an unknown key or a bad reference is not until an operator
/// changes something. `description` never holds key material or digests.
public struct RemoteSignerError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unavailable, timeout, refused, unknownKey, rejected, badResponse, invalidReference, clientCredentials
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The service cannot be reached, the TLS handshake or connection broke, or it answered 5xx (retry later).
        public static let unavailable = Code(.unavailable)
        /// The service did not answer within the timeout (retry later).
        public static let timeout = Code(.timeout)
        /// The service refused this client for this key (403): grant the client certificate the key.
        public static let refused = Code(.refused)
        /// The service holds no key of that name (404).
        public static let unknownKey = Code(.unknownKey)
        /// The service rejected the request (400: digest length, scheme the key cannot make).
        public static let rejected = Code(.rejected)
        /// The answer is not what the protocol says (bad JSON, a certificate that does not parse).
        public static let badResponse = Code(.badResponse)
        /// The `sealpress+https://` reference is malformed.
        public static let invalidReference = Code(.invalidReference)
        /// The client certificate, key or CA cannot be loaded.
        public static let clientCredentials = Code(.clientCredentials)
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// True when the same request may succeed later without anyone changing the configuration.
    public var isRetryable: Bool { code == .unavailable || code == .timeout }

    public var description: String { "remote signer \(code): \(reason)" }

    public static func == (lhs: RemoteSignerError, rhs: RemoteSignerError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(code) }
}
