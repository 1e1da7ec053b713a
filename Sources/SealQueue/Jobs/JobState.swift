/// Where a job is in its lifecycle; the raw values are the `sealpress.job_state` enum labels.
///
/// See ``JobLifecycle`` for the allowed transitions and Docs/queue.md for the diagram.
public enum JobState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting to be claimed now.
    case available
    /// Waiting for its `scheduled_at` (run-at scheduling); the promoter makes it available.
    case scheduled
    /// Claimed by a worker process (`locked_by`), attempt `attempt`.
    case running
    /// Failed or rescued, waiting for its backoff to elapse; the promoter makes it available.
    case retryable
    /// Finished successfully (terminal).
    case completed
    /// Cancelled by a person or a producer (terminal).
    case cancelled
    /// Failed for good: attempts exhausted or a non-retryable error (terminal); `errors` keeps every attempt.
    case discarded

    /// True for the states a job never leaves (except by being pruned).
    public var isFinal: Bool { self == .completed || self == .cancelled || self == .discarded }

    /// True while the job's idempotency key is reserved.
    public var isLive: Bool { !isFinal }
}
