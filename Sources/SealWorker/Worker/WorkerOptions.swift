import Foundation
import Postgres
import SealQueue

/// How a worker process runs.
public struct WorkerOptions: Sendable {
    /// Concurrent job slots on Dispatch (default: the number of cores).
    public var concurrency: Int
    /// Queues to take jobs from; nil = every queue.
    public var queues: [String]?
    /// A human name for `sealpress status` (default host:pid). The database id is always a new UUID.
    public var name: String?
    /// Stop once nothing is available, nothing runs here, and no retryable or scheduled job is due within
    /// ``idleWaitSeconds`` (the worker waits for those, polling).
    public var exitWhenIdle: Bool
    /// With ``exitWhenIdle``: how far ahead retryable and scheduled jobs keep the worker waiting.
    public var idleWaitSeconds: Double
    /// On SIGTERM/SIGINT, how long in-flight jobs may take before they are released back to `available`.
    public var gracePeriodSeconds: Double
    public var timings: QueueTimings
    public var retryPolicy: RetryPolicy
    public var retention: RetentionPolicy
    /// Whether this process may take part in leader election (promoter, rescuer, pruner).
    public var leaderEligible: Bool
    /// A job running longer is told to stop (``JobContext/isCancelled``) and, when its handler gives up, failed
    /// with a `timeout` error and retried. nil = no limit. Handlers must check for cancellation to be stoppable.
    public var jobTimeoutSeconds: Double?
    /// Further periodic duties of the leader, run on its maintenance connection (e.g. usage-log checkpoints).
    public var leaderDuties: [LeaderDuty] = []
    /// Store every output whole in `sealpress.outputs.bytes`, also one that extends its input (a signed PDF): for
    /// readers of that column that cannot call `sealpress.output_bytes(job_id)` yet. Default false: such an output
    /// is stored as the bytes after the input (queue migration 6), about 12 KB instead of 110 KB per signed
    /// 100 KB PDF, through TOAST and WAL.
    public var storeWholeOutputs = false

    /// Job slots when none are configured: four per core. A stamp job computes for about a millisecond and then
    /// waits on the database (its results transaction, the next claim); with one slot per core the CPU idles
    /// through those waits. Measured with `sealpress bench pipeline` on 2 cores: 2 slots ≈ 200–230 documents/s,
    /// 8 slots ≈ 375–390 (Docs/benchmarks.md). Each slot holds its input document in memory (a PDF's output is its input extended in place), and
    /// handlers borrow pooled connections, so the default stops at 32 (run more worker processes on big hosts).
    public static var defaultConcurrency: Int { min(32, 4 * max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    public init(concurrency: Int = WorkerOptions.defaultConcurrency, queues: [String]? = nil,
                name: String? = nil, exitWhenIdle: Bool = false, gracePeriodSeconds: Double = 30,
                timings: QueueTimings = .standard, retryPolicy: RetryPolicy = .standard,
                retention: RetentionPolicy = .standard, leaderEligible: Bool = true,
                jobTimeoutSeconds: Double? = nil, idleWaitSeconds: Double = 60) {
        self.concurrency = max(1, concurrency)
        self.queues = (queues?.isEmpty ?? true) ? nil : queues
        self.name = name
        self.exitWhenIdle = exitWhenIdle
        self.idleWaitSeconds = max(0, idleWaitSeconds)
        self.gracePeriodSeconds = max(0, gracePeriodSeconds)
        self.timings = timings
        self.retryPolicy = retryPolicy
        self.retention = retention
        self.leaderEligible = leaderEligible
        self.jobTimeoutSeconds = jobTimeoutSeconds.flatMap { $0 > 0 ? $0 : nil }
    }
}

/// A periodic duty the leader runs besides its own (promoter, rescuer, pruner), on the maintenance connection.
public struct LeaderDuty: Sendable {
    public var name: String
    public var intervalSeconds: Double
    public var run: @Sendable (PGConnection) throws -> Void

    public init(name: String, intervalSeconds: Double, run: @escaping @Sendable (PGConnection) throws -> Void) {
        self.name = name
        self.intervalSeconds = max(1, intervalSeconds)
        self.run = run
    }
}
