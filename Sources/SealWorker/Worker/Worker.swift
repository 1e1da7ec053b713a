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

    private let wake = Wakeup()
    private let shared = Locked(Shared())
    private let slots: [DispatchQueue]
    private let documents: ConnectionPool
    private let helpers = DispatchGroup()
    private let maintenanceWake = Wakeup()

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

    /// Runs until stopped (``requestStop()``, or idle with `exitWhenIdle`).
    ///
    /// - Throws: when the database cannot be reached at start or has no schema; later connection failures are
    ///   retried with backoff.
    @discardableResult
    public func run() throws -> WorkerSummary {
        // The fetch connection runs only the prepared hot statements, whose generic plans are primary-key lookups
        // (checked by QueryPlanTests); generic plans skip re-planning the big fetch-cycle statement at every call.
        let connect = self.connect
        let fetch = ManagedConnection {
            let connection = try connect()
            try connection.execute("SET plan_cache_mode = force_generic_plan")
            return connection
        }
        try fetch.use { connection in
            try Migrator.requireCurrent(connection)
            try JobQueue(connection: connection).register(registration)
        }
        logger.info("worker started", metadata: [
            "id": "\(id)", "concurrency": "\(options.concurrency)",
            "queues": "\(options.queues?.joined(separator: ",") ?? "*")", "kinds": "\(handlers.kinds.joined(separator: ","))",
        ])
        startHelper("listener") { self.listenLoop() }
        startHelper("maintenance") { self.maintenanceLoop() }

        var summary = WorkerSummary()
        var loop = WorkerLoop(
            concurrency: options.concurrency, exitWhenIdle: options.exitWhenIdle,
            pollSeconds: options.timings.pollSeconds, cooldownSeconds: options.timings.fetchCooldownSeconds,
            coalesceSeconds: options.timings.coalesceSeconds)
        var stopsSeen = 0
        var retryAt: UInt64 = 0
        var backoff = 0.05
        var needsRecovery = false
        mainLoop: while true {
            let now = DispatchTime.now().uptimeNanoseconds
            let (stops, notified, finished, pending, oldest) = shared.withLock { s -> (Int, Bool, Int, Int, UInt64) in
                defer { s.notified = false; s.finishedSinceCheck = 0 }
                return (s.stopRequests, s.notified, s.finishedSinceCheck, s.completions.count + s.failures.count,
                        s.oldestResult)
            }
            while stopsSeen < stops {
                stopsSeen += 1
                loop.stopRequested(now: now, graceSeconds: options.gracePeriodSeconds)
                logger.info(stopsSeen == 1 ? "stopping: finishing in-flight jobs" : "stopping now")
            }
            if notified { loop.notified() }
            if finished > 0 { loop.finished(finished) }

            // The fetch connection is down: wait for the retry time (or give up once the grace period is over).
            if now < retryAt {
                if case .draining(let deadline) = loop.phase, now >= deadline {
                    abandonInFlight(reason: "database unreachable at the end of the grace period")
                    loop.released()
                    break mainLoop
                }
                wake.wait(seconds: Double(retryAt - now) / 1e9)
                continue
            }

            // After a connection loss: register again and release lost claims before anything else.
            if needsRecovery {
                do {
                    try recover(fetch)
                    needsRecovery = false
                    backoff = 0.05
                } catch {
                    retryAt = DispatchTime.now().uptimeNanoseconds + UInt64(backoff * 1e9)
                    backoff = min(backoff * 2, 2)
                    continue
                }
            }

            let action = loop.next(now: now, pendingResults: pending, oldestResultNanoseconds: oldest)
            do {
                switch action {
                case .flush(let claimLimit):
                    let jobs = try flush(fetch, claimLimit: claimLimit, into: &summary)
                    if claimLimit > 0 {
                        summary.claimed += jobs.count
                        loop.claimed(requested: claimLimit, got: jobs.count, now: DispatchTime.now().uptimeNanoseconds,
                                     jitter: Double.random(in: 0..<1))
                        for job in jobs { start(job) }
                    }
                case .claim(let limit, let promoteFirst):
                    let jobs = try fetch.use { connection -> [ClaimedJob] in
                        let queue = JobQueue(connection: connection)
                        if promoteFirst { try queue.promote() }
                        return try queue.claim(limit: limit, worker: id, queues: options.queues)
                    }
                    summary.claimed += jobs.count
                    loop.claimed(requested: limit, got: jobs.count, now: DispatchTime.now().uptimeNanoseconds,
                                 jitter: Double.random(in: 0..<1))
                    for job in jobs { start(job) }
                case .wait(let until):
                    let seconds = until > now ? Double(until - now) / 1e9 : 0
                    if seconds > 0 { wake.wait(seconds: seconds) }
                case .releaseInFlight:
                    summary.released += try releaseInFlight(fetch)
                    loop.released()
                case .stop:
                    break mainLoop
                }
                backoff = 0.05
            } catch let error as PGError where error.isConnectionError {
                logger.warning("database connection lost; reconnecting", metadata: ["error": "\(error)"])
                // Reconnect (now if possible), then hand back any claim whose reply was lost.
                needsRecovery = true
            } catch {
                logger.error("worker loop error", metadata: ["error": "\(error)"])
                retryAt = DispatchTime.now().uptimeNanoseconds + UInt64(backoff * 1e9)
                backoff = min(backoff * 2, 2)
            }
        }

        summary.reconnects = fetch.reconnects
        // Stop the listener and the heartbeat first: a heartbeat after the deregistration would find the row gone
        // and register this worker again, leaving a stale row behind.
        shared.withLock { $0.finishedLoops = true }
        maintenanceWake.signal()
        helpers.wait()
        if loop.inFlight == 0 { _ = try? fetch.use { try JobQueue(connection: $0).deregister(worker: id) } }
        fetch.drop()
        documents.closeAll()
        logger.info("worker stopped", metadata: [
            "completed": "\(summary.completed)", "failed": "\(summary.failed)", "rejected": "\(summary.rejected)",
            "released": "\(summary.released)",
        ])
        return summary
    }

    // MARK: - Running jobs

    private func start(_ job: ClaimedJob) {
        var jobLogger = logger
        jobLogger[metadataKey: "job"] = "\(job.id)"
        let documents = self.documents
        let prefetched = job.document
        let context = JobContext(workerID: id, workerName: registration.name, logger: jobLogger) { documentID in
            // The claim statement read the job's own document; anything else is loaded on a pooled connection.
            if let prefetched, prefetched.id == documentID { return prefetched }
            return try documents.with { connection in try Self.loadDocument(documentID, on: connection) }
        }
        context.database = { body in try documents.with(body) }
        let slot = shared.withLock { s -> Int in
            s.running[job.id] = (job, context)
            if s.earlyCancels.remove(job.id) != nil { context.cancel() }
            return s.freeSlots.popLast() ?? 0
        }
        if let timeout = options.jobTimeoutSeconds {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak context] in
                context?.cancel(.timedOut)
            }
        }
        slots[slot].async { [self] in
            let started = DispatchTime.now().uptimeNanoseconds
            events.jobStarted?(job, started &- job.claimedAtUptimeNanoseconds)
            let result: Result<JobOutcome, any Error>
            if let handler = handlers.handler(for: job.kind) {
                result = Result { try handler.run(job, context: context) }.mapError { error in
                    guard context.timedOut else { return error }
                    return JobFailure("timed out after \(options.jobTimeoutSeconds ?? 0) s (worker --job-timeout)")
                }
            } else {
                result = .failure(JobFailure(
                    "no handler for kind \"\(job.kind)\" in worker \(registration.name) "
                        + "(it runs: \(handlers.kinds.joined(separator: ", ")))"))
            }
            if let finished = events.jobFinished {
                let error: (any Error)? = if case .failure(let e) = result { e } else { nil }
                finished(job, DispatchTime.now().uptimeNanoseconds &- started, error)
            }
            let wakeFetcher = shared.withLock { s -> Bool in
                s.running[job.id] = nil
                s.freeSlots.append(slot)
                guard !s.dropResults else { return false }
                if s.completions.isEmpty && s.failures.isEmpty { s.oldestResult = DispatchTime.now().uptimeNanoseconds }
                switch result {
                case .success(let outcome):
                    s.completions.append(JobCompletion(
                        jobID: job.id, attempt: job.attempt, output: outcome.output, reportJSON: outcome.reportJSON,
                        fencedStatements: outcome.fencedStatements))
                case .failure(let error):
                    s.failures.append(failureRecord(job, error))
                }
                s.finishedSinceCheck += 1
                // Wake the fetcher only when it may act: the first result (it starts the coalescing clock) or
                // nothing left running. Fewer wake-ups matter on a busy machine.
                return s.completions.count + s.failures.count == 1 || s.running.isEmpty
            }
            if wakeFetcher { wake.signal() }
        }
    }

    private func failureRecord(_ job: ClaimedJob, _ error: any Error) -> JobFailureRecord {
        let backoff = options.retryPolicy.delaySeconds(afterAttempt: job.attempt)
        switch error {
        case let failure as JobFailure:
            let kind = failure.message.hasPrefix("no handler for kind")
                ? "unknown_kind" : failure.message.hasPrefix("timed out after") ? "timeout" : "handler"
            return JobFailureRecord(jobID: job.id, attempt: job.attempt, message: failure.message, kind: kind,
                                    retryable: failure.retryable, retryDelaySeconds: failure.retryAfterSeconds ?? backoff)
        case is JobCancelled:
            return JobFailureRecord(jobID: job.id, attempt: job.attempt, message: "cancelled while running",
                                    kind: "cancelled", retryDelaySeconds: backoff)
        default:
            return JobFailureRecord(jobID: job.id, attempt: job.attempt, message: String(describing: error),
                                    kind: "handler", retryDelaySeconds: backoff)
        }
    }

    /// Writes pending results — failures, completions with their fenced statements, the claim of up to
    /// `claimLimit` new jobs and the fold of batch counters, in one transaction of one or two round trips
    /// (``JobQueue/writeResults(completions:failures:worker:claimLimit:queues:)``) — and returns the claimed jobs.
    /// On an error the results are put back; the fence makes writing them twice harmless.
    private func flush(_ fetch: ManagedConnection, claimLimit: Int, into summary: inout WorkerSummary) throws
        -> [ClaimedJob]
    {
        let (completions, failures) = shared.withLock { s -> ([JobCompletion], [JobFailureRecord]) in
            defer { s.completions.removeAll(keepingCapacity: true); s.failures.removeAll(keepingCapacity: true) }
            return (s.completions, s.failures)
        }
        do {
            let written = try fetch.use { connection in
                try JobQueue(connection: connection).writeResults(
                    completions: completions, failures: failures, worker: id, claimLimit: claimLimit,
                    queues: options.queues)
            }
            let (accepted, claimed, failedStates) = (written.completed, written.claimed, written.failed)
            let rejected = completions.count + failures.count - accepted.count - failedStates.count
            summary.completed += accepted.count
            summary.failed += failedStates.count
            summary.rejected += rejected
            if rejected > 0 {
                let lost = completions.map(\.jobID).filter { !accepted.contains($0) }
                    + failures.map(\.jobID).filter { failedStates[$0] == nil }
                logger.notice("results rejected by the fence (job cancelled or rescued meanwhile)",
                              metadata: ["jobs": "\(lost.map(String.init).joined(separator: ","))"])
            }
            for failure in failures {
                if let state = failedStates[failure.jobID] {
                    logger.info("job failed", metadata: [
                        "job": "\(failure.jobID)", "attempt": "\(failure.attempt)", "now": "\(state.rawValue)",
                        "error": "\(failure.message)",
                    ])
                }
            }
            events.resultsRecorded?(accepted.count, failedStates.count, rejected)
            return claimed
        } catch {
            shared.withLock { s in
                s.completions.insert(contentsOf: completions, at: 0)
                s.failures.insert(contentsOf: failures, at: 0)
            }
            throw error
        }
    }

    /// Gives the jobs still running back to `available` and tells their handlers to stop.
    private func releaseInFlight(_ fetch: ManagedConnection) throws -> Int {
        let running = shared.withLock { s -> [(job: ClaimedJob, context: JobContext)] in
            s.dropResults = true
            s.completions.removeAll()
            s.failures.removeAll()
            return Array(s.running.values)
        }
        for entry in running { entry.context.cancel(.shutdown) }
        let released = try fetch.use { connection in
            try JobQueue(connection: connection).release(running.map { ($0.job.id, $0.job.attempt) }, worker: id)
        }
        logger.notice("grace period over: released running jobs", metadata: ["count": "\(released.count)"])
        return released.count
    }

    private func abandonInFlight(reason: String) {
        let running = shared.withLock { s -> [JobContext] in
            s.dropResults = true
            return s.running.values.map(\.context)
        }
        for context in running { context.cancel(.shutdown) }
        logger.warning("abandoning in-flight jobs; the rescuer will return them", metadata: ["reason": "\(reason)"])
    }

    /// After the fetch connection came back: register again (the rescuer may have removed this worker) and
    /// release jobs claimed for this worker that it does not know about (a claim whose reply was lost).
    private func recover(_ fetch: ManagedConnection) throws {
        // Jobs running here, and jobs finished here whose results wait to be written, are known claims.
        let known = shared.withLock { s in
            Array(s.running.keys) + s.completions.map(\.jobID) + s.failures.map(\.jobID)
        }
        try fetch.use { connection in
            let queue = JobQueue(connection: connection)
            try queue.register(registration)
            let result = try connection.query("""
                SELECT id, attempt::int FROM sealpress.jobs
                 WHERE locked_by = $1::uuid AND state = 'running' AND NOT (id = ANY($2::bigint[]))
                """, [.uuid(id), .int64Array(known)])
            let orphans = try result.map { (Int64(try $0.int(0)), try $0.int(1)) }
            if !orphans.isEmpty {
                let released = try queue.release(orphans.map { (id: $0.0, attempt: $0.1) }, worker: id)
                logger.notice("released claims whose reply was lost", metadata: ["count": "\(released.count)"])
            }
        }
        logger.info("database connection re-established")
    }

    static func loadDocument(_ documentID: Int64, on connection: PGConnection) throws -> StoredDocument? {
        let result = try connection.query(
            "SELECT id, name, content_type, sha256, content FROM sealpress.documents WHERE id = $1", [.int64(documentID)])
        guard let row = result.first else { return nil }
        return StoredDocument(
            id: Int64(try row.int(0)), name: try row.optionalString(1), contentType: try row.string(2),
            sha256: try row.bytes(3), content: Data(try row.bytes(4)))
    }

    // MARK: - Helper loops

    private var loopsFinished: Bool { shared.withLock { $0.finishedLoops } }

    private func startHelper(_ name: String, _ body: @escaping @Sendable () -> Void) {
        helpers.enter()
        DispatchQueue(label: "sealpress.worker.\(name)").async { [helpers] in
            body()
            helpers.leave()
        }
    }

    /// LISTENs for new jobs (wakes the fetcher) and cancellations (flags the running job's context).
    private func listenLoop() {
        let listener = ManagedConnection(connect)
        var backoff = 0.05
        while !loopsFinished {
            do {
                let notifications = try listener.use { connection -> [PGNotification] in
                    if connection.listenedChannels.isEmpty {
                        try connection.listen("sealpress_jobs")
                        try connection.listen("sealpress_cancel")
                        // Anything enqueued while we were not listening: look once.
                        shared.withLock { $0.notified = true }
                        wake.signal()
                    }
                    return try connection.waitForNotifications(timeout: .milliseconds(200))
                }
                backoff = 0.05
                var wakeFetcher = false
                for note in notifications {
                    if note.channel == "sealpress_jobs" {
                        if options.queues == nil || options.queues!.contains(note.payload) { wakeFetcher = true }
                    } else if note.channel == "sealpress_cancel", let jobID = Int64(note.payload) {
                        let context = shared.withLock { s -> JobContext? in
                            guard let context = s.running[jobID]?.context else {
                                // Possibly claimed here a moment ago and not started yet: remember it.
                                if s.earlyCancels.count > 10_000 { s.earlyCancels.removeAll() }
                                s.earlyCancels.insert(jobID)
                                return nil
                            }
                            return context
                        }
                        if let context {
                            context.cancel()
                            logger.info("job cancelled while running", metadata: ["job": "\(jobID)"])
                        }
                    }
                }
                if wakeFetcher {
                    shared.withLock { $0.notified = true }
                    wake.signal()
                }
            } catch {
                if !loopsFinished { logger.debug("listener error", metadata: ["error": "\(error)"]) }
                listener.drop()
                maintenanceWake.wait(seconds: backoff)
                backoff = min(backoff * 2, 2)
            }
        }
        listener.drop()
    }

    /// Heartbeats; leader election with `pg_try_advisory_lock` on this loop's own session; leader duties.
    private func maintenanceLoop() {
        let maintenance = ManagedConnection(connect)
        let timings = options.timings
        var nextHeartbeat: UInt64 = 0
        var nextPromote: UInt64 = 0
        var nextRescue: UInt64 = 0
        var nextPrune: UInt64 = 0
        var leader = false
        var backoff = 0.05
        let tick = min(0.25, timings.heartbeatSeconds / 2, timings.promoteSeconds / 2)
        func after(_ seconds: Double) -> UInt64 { DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9) }
        while !loopsFinished {
            let now = DispatchTime.now().uptimeNanoseconds
            do {
                try maintenance.use { connection in
                    let queue = JobQueue(connection: connection)
                    if now >= nextHeartbeat {
                        if try !queue.heartbeat(worker: id) {
                            logger.warning("this worker was declared dead (heartbeat too old); registering again")
                            try queue.register(registration)
                        }
                        nextHeartbeat = after(timings.heartbeatSeconds)
                        try reconcileCancellations(connection)
                    }
                    if options.leaderEligible, !leader {
                        leader = try connection.query("SELECT pg_try_advisory_lock($1)", [.int64(Self.leaderLockKey)])[0].bool(0)
                        if leader {
                            logger.info("became leader (promoter, rescuer, pruner)")
                            shared.withLock { $0.isLeader = true }
                        }
                    }
                    guard leader else { return }
                    // Batch counters: deltas committed by cancels, rescues or a worker that died before folding.
                    try queue.foldBatchDeltas()
                    if now >= nextPromote {
                        try queue.promote()
                        nextPromote = after(timings.promoteSeconds)
                    }
                    if now >= nextRescue {
                        let rescued = try queue.rescue(afterSeconds: timings.rescueAfterSeconds)
                        if rescued.workers > 0 || rescued.jobs > 0 {
                            logger.notice("rescued jobs of dead workers", metadata: [
                                "workers": "\(rescued.workers)", "jobs": "\(rescued.jobs)",
                            ])
                        }
                        nextRescue = after(timings.rescueSeconds)
                    }
                    if now >= nextPrune {
                        let pruned = try queue.prune(options.retention)
                        if pruned.jobs > 0 { logger.info("pruned finished jobs", metadata: ["jobs": "\(pruned.jobs)"]) }
                        nextPrune = after(timings.pruneSeconds)
                    }
                }
                backoff = 0.05
                maintenanceWake.wait(seconds: tick)
            } catch {
                if !loopsFinished { logger.debug("maintenance error", metadata: ["error": "\(error)"]) }
                if leader || maintenance.isBroken {
                    leader = false
                    shared.withLock { $0.isLeader = false }
                    maintenance.drop()
                }
                maintenanceWake.wait(seconds: backoff)
                backoff = min(backoff * 2, 2)
            }
        }
        maintenance.drop()  // closing the session releases the leader lock
        shared.withLock { $0.isLeader = false }
    }

    /// Flags in-flight jobs this worker no longer holds (cancelled, or rescued after a missed heartbeat) — the
    /// safety net for a `sealpress_cancel` NOTIFY sent before the listener was LISTENing or while it reconnected.
    private func reconcileCancellations(_ connection: PGConnection) throws {
        let inFlight = shared.withLock { s in s.running.map { (id: $0.key, attempt: Int64($0.value.job.attempt)) } }
        guard !inFlight.isEmpty else { return }
        let held = Set(try connection.query(
            """
            SELECT j.id FROM sealpress.jobs j
              JOIN unnest($1::bigint[], $2::bigint[]) AS f(id, attempt) ON f.id = j.id AND f.attempt = j.attempt
             WHERE j.state = 'running' AND j.locked_by = $3
            """, [.int64Array(inFlight.map(\.id)), .int64Array(inFlight.map(\.attempt)), .uuid(id)]
        ).map { Int64(try $0.int(0)) })
        for job in inFlight where !held.contains(job.id) {
            let context = shared.withLock { $0.running[job.id]?.context }
            guard let context, !context.isCancelled else { continue }
            context.cancel()
            logger.info("job no longer held by this worker; told it to stop", metadata: ["job": "\(job.id)"])
        }
    }

    /// Advisory lock key of the leader ("sealpldr" as ASCII).
    static let leaderLockKey: Int64 = 0x7365_616C_706C_6472
}
