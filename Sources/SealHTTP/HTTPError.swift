/// An HTTP exchange or server could not be set up or carried out. Equality compares ``code`` only.
public struct HTTPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable error code; new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidAddress, socket, listen, resolve, connect, badResponse
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The host is not an IPv4 address, or the port is out of range (servers).
        public static let invalidAddress = Code(.invalidAddress)
        /// The system refused a socket.
        public static let socket = Code(.socket)
        /// The address could not be bound or listened on (in use, not local).
        public static let listen = Code(.listen)
        /// The host name did not resolve (clients).
        public static let resolve = Code(.resolve)
        /// No address of the host accepted the connection.
        public static let connect = Code(.connect)
        /// The peer closed early or did not answer with an HTTP/1.x response.
        public static let badResponse = Code(.badResponse)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// A short reason naming the host and port, never a message body.
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code): \(reason)" }

    public static func == (lhs: HTTPError, rhs: HTTPError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
