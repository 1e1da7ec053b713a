/// What one worker run did, returned by ``Worker/run()``.
public struct WorkerSummary: Sendable, Hashable {
    /// Jobs claimed by this process.
    public var claimed = 0
    /// Completions the database accepted.
    public var completed = 0
    /// Failures the database accepted (retried or discarded).
    public var failed = 0
    /// Results the fence rejected (the job had been cancelled or rescued meanwhile).
    public var rejected = 0
    /// Jobs given back at shutdown after the grace period.
    public var released = 0
    /// Times a connection was re-established.
    public var reconnects = 0

    public init() {}
}
