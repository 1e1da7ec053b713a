/// A console operation that could not be carried out. `reason` says what to do next and is safe to show.
public struct ConsoleError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String { case invalidAccount, accountExists, unknownAccount, invalidPassword, invalidUpload }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }
        /// The account name or role is not acceptable.
        public static let invalidAccount = Code(.invalidAccount)
        /// An account with that name exists (use `--update`).
        public static let accountExists = Code(.accountExists)
        /// No such account.
        public static let unknownAccount = Code(.unknownAccount)
        /// The password is too short or empty.
        public static let invalidPassword = Code(.invalidPassword)
        /// The uploaded form or document could not be read.
        public static let invalidUpload = Code(.invalidUpload)
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

    public var description: String { reason }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
