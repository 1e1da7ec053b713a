/// What enqueueing returned for one job.
public struct EnqueuedJob: Sendable, Hashable {
    public var id: Int64
    /// False when a live job with the same idempotency key already existed (its id is returned).
    public var created: Bool

    public init(id: Int64, created: Bool) {
        self.id = id
        self.created = created
    }
}
