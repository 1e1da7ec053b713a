/// Thrown by a handler to fail a job with control over retrying.
public struct JobFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line kept in the job's `errors` (no document content, no secrets).
    public var message: String
    /// False discards the job now.
    public var retryable: Bool
    /// Overrides the worker's backoff for the next attempt.
    public var retryAfterSeconds: Double?

    public init(_ message: String, retryable: Bool = true, retryAfterSeconds: Double? = nil) {
        self.message = message
        self.retryable = retryable
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// A failure no retry can fix (bad input, unsupported document).
    public static func permanent(_ message: String) -> JobFailure { JobFailure(message, retryable: false) }

    public var description: String { message }
}

/// Thrown by ``JobContext/checkCancellation()`` when the job was cancelled or the worker is shutting down.
public struct JobCancelled: Error, Sendable, Hashable, CustomStringConvertible {
    public init() {}
    public var description: String { "job cancelled" }
}
