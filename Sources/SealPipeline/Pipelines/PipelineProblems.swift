/// One problem in a pipeline file, with its position (1-based) when known.
public struct PipelineProblem: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(line: Int?, column: Int?, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        guard let line else { return message }
        return "\(line):\(column ?? 1): \(message)"
    }

    public static func < (lhs: PipelineProblem, rhs: PipelineProblem) -> Bool {
        (lhs.line ?? 0, lhs.column ?? 0, lhs.message) < (rhs.line ?? 0, rhs.column ?? 0, rhs.message)
    }
}

/// Every problem found in one pipeline file; thrown by ``PipelineLoader``.
public struct PipelineProblems: Error, Sendable, Hashable, CustomStringConvertible {
    public var source: String
    public var problems: [PipelineProblem]

    public init(source: String, problems: [PipelineProblem]) {
        self.source = source
        self.problems = problems
    }

    /// Compiler-style lines: `file:line:column: message`.
    public var description: String {
        problems.map { "\(source):\($0)" }.joined(separator: "\n")
    }
}
