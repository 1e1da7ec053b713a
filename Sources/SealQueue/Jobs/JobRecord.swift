import Foundation

/// A job row as operators and tests see it.
public struct JobRecord: Sendable, Hashable {
    public var id: Int64
    public var kind: String
    public var queue: String
    public var state: JobState
    public var priority: Int
    public var attempt: Int
    public var maxAttempts: Int
    public var lockedBy: UUID?
    public var argsJSON: String
    /// The `errors` JSON array, one object per failed, rescued or released attempt.
    public var errorsJSON: String
    public var errorCount: Int
    /// The code of the latest failed, rescued or released attempt.
    public var lastErrorCode: JobErrorCode?
    public var idempotencyKey: String?
    public var batchID: Int64?
    public var scheduledAt: Date
    public var createdAt: Date
    public var finalizedAt: Date?
}
