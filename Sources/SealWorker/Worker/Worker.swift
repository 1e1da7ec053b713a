import Foundation
import Logging
import Postgres
import SealQueue

/// A worker process's engine: one fetcher (this thread, in ``run()``) claims batches of jobs into N slots, each slot
/// a serial Dispatch queue running handlers with no connection or transaction held; finished results are written
/// back in batches by the fetcher, fenced on (id, attempt, worker, running). Beside it a listener thread waits for
/// NOTIFYs (new jobs, cancellations) and a maintenance thread writes heartbeats and, when it wins the advisory-lock
/// election, runs the promoter, rescuer and pruner.
///
/// `@unchecked Sendable`: mutable state lives in ``Locked`` boxes; the loops each own their connection.
public final class Worker: @unchecked Sendable {
    /// This process as recorded in `sealpress.workers` (its `id` is the `locked_by` of its jobs).
    public let registration: WorkerRegistration
    public var id: UUID { registration.id }

    let options: WorkerOptions
    let handlers: HandlerRegistry
    let connect: @Sendable () throws -> PGConnection
    let logger: Logger
    let events: WorkerEvents

    let wake = Wakeup()
    let shared = MutexBox(Shared())
    let slots: [DispatchQueue]
    let documents: ConnectionPool
    let helpers = DispatchGroup()
    let maintenanceWake = Wakeup()

    /// State shared between the fetcher, the slots, the listener and signal handlers.
    struct Shared {
        var completions: [JobCompletion] = []
        var failures: [JobFailureRecord] = []
        var finishedSinceCheck = 0
        /// Uptime when the oldest unwritten result arrived.
        var oldestResult: UInt64 = 0
        var stopRequests = 0
        var notified = false
        var freeSlots: [Int] = []
        var running: [Int64: (job: ClaimedJob, context: JobContext)] = [:]
        /// After the grace period: results of abandoned jobs are dropped.
        var dropResults = false
        var finishedLoops = false
        var isLeader = false
        /// Cancellations that arrived before their job started here (the claim's reply was still being read).
        var earlyCancels: Set<Int64> = []
    }

    /// - Parameters:
    ///   - options: concurrency, queues, timings, policies.
    ///   - handlers: the kinds this worker runs.
    ///   - connect: opens a new connection (called for the fetcher, the listener, the maintenance loop, and
    ///     a small pool for document loads; again after a connection breaks).
    ///   - events: optional callbacks for measurements.
    public init(options: WorkerOptions, handlers: HandlerRegistry = .builtIn, logger: Logger = Logger(label: "sealpress.worker"),
                events: WorkerEvents = WorkerEvents(), connect: @escaping @Sendable () throws -> PGConnection) {
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        self.registration = WorkerRegistration(
            name: options.name ?? "\(host):\(pid)", host: host, pid: pid, concurrency: options.concurrency,
            queues: options.queues, kinds: handlers.kinds)
        self.options = options
        self.handlers = handlers
        self.connect = connect
        var logger = logger
        logger[metadataKey: "worker"] = "\(options.name ?? "\(host):\(pid)")"
        self.logger = logger
        self.events = events
        // Serial queues are "overcommit" in libdispatch: each slot gets a thread even while others block.
        self.slots = (0..<options.concurrency).map { DispatchQueue(label: "sealpress.worker.slot.\($0)") }
        self.documents = ConnectionPool(maximumIdle: max(1, options.concurrency / 2), connect: connect)
        shared.withLock { $0.freeSlots = Array((0..<options.concurrency).reversed()) }
    }

    /// Asks the worker to stop: claim nothing more, let in-flight jobs finish within the grace period, then
    /// release the rest. A second call ends the grace period at once. Safe from any thread or signal source.
    public func requestStop() {
        shared.withLock { $0.stopRequests += 1 }
        wake.signal()
    }

    /// True while this process holds the leader lock.
    public var isLeader: Bool { shared.withLock { $0.isLeader } }

    // MARK: - Helper threads

    var loopsFinished: Bool { shared.withLock { $0.finishedLoops } }

    func startHelper(_ name: String, _ body: @escaping @Sendable () -> Void) {
        helpers.enter()
        DispatchQueue(label: "sealpress.worker.\(name)").async { [helpers] in
            body()
            helpers.leave()
        }
    }
}
