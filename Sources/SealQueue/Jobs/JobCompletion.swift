import Foundation

/// A finished run to record: the job, the fencing token it was claimed with, and what it produced.
public struct JobCompletion: Sendable, Hashable {
    public var jobID: Int64
    public var attempt: Int
    /// Output bytes (a signed document), stored in `sealpress.outputs.bytes`.
    public var output: Data?
    /// A JSON report (verification report, stamping summary), stored in `sealpress.outputs.report`.
    public var reportJSON: String?
    /// Statements run in the completion's transaction only when the fence holds (e.g. usage-log rows).
    public var fencedStatements: [FencedStatement]

    public init(jobID: Int64, attempt: Int, output: Data? = nil, reportJSON: String? = nil,
                fencedStatements: [FencedStatement] = []) {
        self.jobID = jobID
        self.attempt = attempt
        self.output = output
        self.reportJSON = reportJSON
        self.fencedStatements = fencedStatements
    }
}

/// A failed run to record: the code and reason the handler gave, and the worker's decision (retry after a delay,
/// or discard now). The queue stores the code in `last_error_code` and in the `errors` entry; it never reads the
/// reason.
public struct JobFailureRecord: Sendable, Hashable {
    public var jobID: Int64
    public var attempt: Int
    public var code: JobErrorCode
    /// A one-line reason, kept in the job's `errors` array (no document content, no secrets).
    public var reason: String
    /// True discards the job now, whatever attempts remain.
    public var discard: Bool
    /// Delay before the next attempt (ignored when discarding; the job is also discarded when attempts run out).
    public var retryDelaySeconds: Double

    public init(jobID: Int64, attempt: Int, code: JobErrorCode, reason: String, discard: Bool = false,
                retryDelaySeconds: Double = 0) {
        self.jobID = jobID
        self.attempt = attempt
        self.code = code
        self.reason = reason
        self.discard = discard
        self.retryDelaySeconds = retryDelaySeconds
    }
}
