/// An error from the queue layer. Equality is on ``code``; ``description`` never contains SQL, arguments or
/// document bytes.
public struct QueueError: Error, Hashable, CustomStringConvertible, Sendable {
    /// A stable, matchable error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case unknownKind, invalidArguments, schemaMissing, schemaTooNew, databaseUnavailable, notFound, database
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The job kind is not registered (`sealpress.job_kinds`).
        public static let unknownKind = Code(.unknownKind)
        /// Arguments were rejected (not a JSON object, bad priority, …).
        public static let invalidArguments = Code(.invalidArguments)
        /// `sealpress migrate` has not been run on this database.
        public static let schemaMissing = Code(.schemaMissing)
        /// The database was migrated by a newer SealPress than this one.
        public static let schemaTooNew = Code(.schemaTooNew)
        /// The database could not be reached or the connection broke.
        public static let databaseUnavailable = Code(.databaseUnavailable)
        /// No such job or batch.
        public static let notFound = Code(.notFound)
        /// Any other database error.
        public static let database = Code(.database)

        public var description: String { String(describing: base) }
    }

    public var code: Code
    /// A human explanation without secrets.
    public var reason: String
    public var file: String
    public var line: UInt

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { reason }

    public static func == (lhs: QueueError, rhs: QueueError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
