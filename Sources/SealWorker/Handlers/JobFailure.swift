public import SealQueue

/// Thrown by a handler to fail a job: a ``Code`` (stored in the job's `last_error_code`; the worker's
/// ``FailureDecision`` reads it to retry or discard) and a one-line reason. Equality is on the code.
public struct JobFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public typealias Code = JobErrorCode

    public var code: Code
    /// One line kept in the job's `errors` (no document content, no secrets).
    public var reason: String
    /// Overrides the worker's backoff for the next attempt (when the code is retried).
    public var retryAfterSeconds: Double?

    public init(_ code: Code, _ reason: String, retryAfterSeconds: Double? = nil) {
        self.code = code
        self.reason = reason
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code): \(reason)" }

    public static func == (lhs: JobFailure, rhs: JobFailure) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// Thrown by ``JobContext/checkCancellation()`` when the job was cancelled or the worker is shutting down.
public struct JobCancelled: Error, Sendable, Hashable, CustomStringConvertible {
    public init() {}
    public var description: String { "job cancelled" }
}
