import Foundation
import SealQueue

/// What a successful job produced; written to `sealpress.outputs` in the same statement that completes the job.
public struct JobOutcome: Sendable, Hashable {
    /// Output bytes (a signed PDF/OFD), or nil.
    public var output: Data?
    /// A JSON report (must be valid JSON), or nil.
    public var reportJSON: String?
    /// Statements written with the completion, in its transaction, only if the fence holds (usage-log rows).
    public var fencedStatements: [FencedStatement]

    public init(output: Data? = nil, reportJSON: String? = nil, fencedStatements: [FencedStatement] = []) {
        self.output = output
        self.reportJSON = reportJSON
        self.fencedStatements = fencedStatements
    }

    /// Nothing to store.
    public static let done = JobOutcome()
}
