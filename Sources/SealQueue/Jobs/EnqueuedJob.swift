/// What enqueueing returned for one job.
public struct EnqueuedJob: Sendable, Hashable {
    /// Why a job was or was not created.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// A new job.
        case created
        /// A live job with the same idempotency key existed; its id is returned.
        case existing
        /// A job for the same document content (kind and scope, e.g. the pipeline) was created within the
        /// `unique_within` window and not cancelled or discarded; its id is returned and nothing was enqueued.
        case duplicate
    }

    public var id: Int64
    /// False when an existing job's id is returned (``outcome`` says why).
    public var created: Bool
    public var outcome: Outcome

    public init(id: Int64, created: Bool, outcome: Outcome? = nil) {
        self.id = id
        self.created = created
        self.outcome = outcome ?? (created ? .created : .existing)
    }
}
