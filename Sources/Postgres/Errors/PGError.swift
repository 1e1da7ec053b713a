/// An error from PostgreSQL or from this wrapper.
///
/// Errors compare equal when their ``code`` is equal, so tests and callers can match on the kind of
/// failure (`#expect(throws: PGError.Code.queryFailed)`-style) without caring about server wording.
/// ``description`` is safe to log or show to an operator: it holds the code, the SQLSTATE and the
/// server's primary message, never parameter values or the SQL text. ``debugDescription`` adds the
/// server's detail and hint (which may quote row values) and the SQL statement.
public struct PGError: Error, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure. A struct over a private enum so new codes can be added compatibly.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case connectionFailed, connectionLost, queryFailed, decoding, timeout, invalidArgument
            case binariesNotFound, embeddedServerFailed, unsupported
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A connection could not be opened (bad host/port, refused, authentication failed, server starting).
        public static let connectionFailed = Code(.connectionFailed)
        /// An open connection broke (server shut down, backend terminated, network error).
        public static let connectionLost = Code(.connectionLost)
        /// The server rejected a statement; see ``PGError/sqlState``.
        public static let queryFailed = Code(.queryFailed)
        /// A result value had an unexpected type, length or NULL.
        public static let decoding = Code(.decoding)
        /// An operation did not finish in time.
        public static let timeout = Code(.timeout)
        /// The caller passed something this wrapper cannot send (for example a NUL byte in text).
        public static let invalidArgument = Code(.invalidArgument)
        /// The PostgreSQL server programs (initdb, pg_ctl, postgres) were not found.
        public static let binariesNotFound = Code(.binariesNotFound)
        /// The embedded PostgreSQL cluster could not be initialised, started or stopped.
        public static let embeddedServerFailed = Code(.embeddedServerFailed)
        /// The operation is not possible in this configuration.
        public static let unsupported = Code(.unsupported)

        public var description: String { base.rawValue }
    }

    /// The kind of failure; equality of errors compares only this.
    public var code: Code
    /// The server's SQLSTATE when it sent one, e.g. `23505` unique_violation, `40001`, `57P01` admin_shutdown.
    public var sqlState: String?
    /// A short human-readable reason: the server's primary message or this wrapper's explanation.
    public var reason: String
    /// The server's DETAIL and HINT fields (may quote row values: only in ``debugDescription``).
    public var detail: String?
    /// The SQL statement that failed (only in ``debugDescription``).
    public var query: String?
    /// The constraint the server named, when it reported one (e.g. for 23505).
    public var constraintName: String?
    /// Where the error was created.
    public var file: String
    public var line: UInt

    public init(
        _ code: Code, _ reason: String, sqlState: String? = nil, detail: String? = nil, query: String? = nil,
        constraintName: String? = nil, file: String = #fileID, line: UInt = #line
    ) {
        self.code = code
        self.reason = reason
        self.sqlState = sqlState
        self.detail = detail
        self.query = query
        self.constraintName = constraintName
        self.file = file
        self.line = line
    }

    /// True when the caller should reconnect (``PGConnection/reset()``) and retry: the connection
    /// could not be opened or was lost, or the server reported a connection exception (class 08) or an
    /// operator intervention such as admin/crash shutdown (57P01–57P05).
    public var isConnectionError: Bool {
        if code == .connectionFailed || code == .connectionLost { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || sqlState.hasPrefix("57P")
    }

    /// True for errors a retry of the whole transaction may cure: serialization failure (40001),
    /// deadlock (40P01) and connection errors.
    public var isTransient: Bool {
        isConnectionError || sqlState == "40001" || sqlState == "40P01"
    }

    public var description: String {
        var text = "PostgreSQL error (\(code)"
        if let sqlState { text += ", SQLSTATE \(sqlState)" }
        text += "): \(reason)"
        return text
    }

    public var debugDescription: String {
        var text = description
        if let detail, !detail.isEmpty { text += "\n  detail: \(detail)" }
        if let constraintName { text += "\n  constraint: \(constraintName)" }
        if let query { text += "\n  query: \(query)" }
        text += "\n  at: \(file):\(line)"
        return text
    }

    public static func == (lhs: PGError, rhs: PGError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
