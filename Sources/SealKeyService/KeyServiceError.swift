/// Why `sealpress keys serve` cannot start (configuration, TLS material, keys). Equality is on ``code``.
public struct KeyServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case configuration, tlsMaterial, key, listen }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The keys file is missing, malformed or inconsistent.
        public static let configuration = Code(.configuration)
        /// The server certificate, key or client CA cannot be loaded.
        public static let tlsMaterial = Code(.tlsMaterial)
        /// A key in the keys file cannot be loaded or cannot sign digests.
        public static let key = Code(.key)
        /// The listen address is malformed.
        public static let listen = Code(.listen)
    }

    public var code: Code
    public var reason: String
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }
    public var description: String { reason }

    public static func == (lhs: KeyServiceError, rhs: KeyServiceError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(code) }
}
