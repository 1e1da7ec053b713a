/// `sealpress serve` could not start. Equality compares ``code`` only; `description` says what to do.
public struct ServeError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String { case invalidListenAddress, tlsRequired, tlsMaterialUnusable, databaseUnreachable }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// `--listen` is not HOST:PORT.
        public static let invalidListenAddress = Code(.invalidListenAddress)
        /// Binding beyond loopback without `--tls-cert` and `--tls-key`.
        public static let tlsRequired = Code(.tlsRequired)
        /// The TLS certificate or key cannot be loaded, or only one of them was given.
        public static let tlsMaterialUnusable = Code(.tlsMaterialUnusable)
        /// The database cannot be reached at start-up.
        public static let databaseUnreachable = Code(.databaseUnreachable)
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
