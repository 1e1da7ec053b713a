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

/// A failed run to record.
public struct JobFailureRecord: Sendable, Hashable {
    public var jobID: Int64
    public var attempt: Int
    /// A one-line reason, kept in the job's `errors` array.
    public var message: String
    /// Where the failure came from (`handler`, `unknown_kind`, `timeout`, `cancelled` …).
    public var kind: String
    /// False discards the job now, whatever attempts remain.
    public var retryable: Bool
    /// Delay before the next attempt (from the ``RetryPolicy`` or the handler).
    public var retryDelaySeconds: Double

    public init(jobID: Int64, attempt: Int, message: String, kind: String = "handler", retryable: Bool = true,
                retryDelaySeconds: Double) {
        self.jobID = jobID
        self.attempt = attempt
        self.message = message
        self.kind = kind
        self.retryable = retryable
        self.retryDelaySeconds = retryDelaySeconds
    }
}
