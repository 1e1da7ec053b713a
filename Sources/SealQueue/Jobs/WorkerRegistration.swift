import Foundation

/// A worker process as recorded in `sealpress.workers`.
public struct WorkerRegistration: Sendable, Hashable {
    /// New at every process start; the `locked_by` of the jobs it claims.
    public var id: UUID
    /// A name for people (`--id`), e.g. `pdf-1`; defaults to host:pid.
    public var name: String
    public var host: String
    public var pid: Int
    public var concurrency: Int
    /// nil = every queue.
    public var queues: [String]?
    /// Kinds this worker has handlers for.
    public var kinds: [String]

    public init(id: UUID = UUID(), name: String, host: String, pid: Int, concurrency: Int, queues: [String]?,
                kinds: [String]) {
        self.id = id
        self.name = name
        self.host = host
        self.pid = pid
        self.concurrency = concurrency
        self.queues = queues
        self.kinds = kinds
    }
}
