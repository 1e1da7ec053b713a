import Foundation
import Logging
import Postgres
import SealQueue

/// The fetcher: claims jobs into free slots, writes finished results back (fenced), drains on stop, recovers
/// after a lost connection. Runs on the thread that called ``Worker/run()``.
extension Worker {
    /// Runs until stopped (``requestStop()``, or idle with `exitWhenIdle`).
    ///
    /// - Throws: when the database cannot be reached at start or has no schema; later connection failures are
    ///   retried with backoff.
    @discardableResult
    public func run() throws -> WorkerSummary {
        // The fetch connection runs only the prepared hot statements, whose generic plans are primary-key lookups
        // (checked by QueryPlanTests); generic plans skip re-planning the big fetch-cycle statement at every call.
        // Its results transaction spans two round trips: should this process stall between them (SIGSTOP, a paused
        // VM), the server ends the transaction after a while, so its row locks do not hold up the rescuer.
        let connect = self.connect
        let idleLimit = max(options.timings.rescueAfterSeconds / 2, 5)
        let fetch = ManagedConnection {
            let connection = try connect()
            let queue = JobQueue(connection: connection)
            try queue.useGenericPlans()
            try queue.limitIdleTransactions(seconds: idleLimit)
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
                    let (jobs, dueSoon) = try fetch.use { connection -> ([ClaimedJob], Int?) in
                        let queue = JobQueue(connection: connection)
                        if promoteFirst { try queue.promote() }
                        let jobs = try queue.claim(limit: limit, worker: id, queues: options.queues)
                        // Confirming idleness: retryable and scheduled jobs due soon, and available jobs held back by their
                        // seal's limits, keep the worker waiting.
                        guard promoteFirst, jobs.isEmpty else { return (jobs, nil) }
                        return (jobs, try queue.dueWithin(seconds: options.idleWaitSeconds, queues: options.queues))
                    }
                    if let dueSoon {
                        if dueSoon > 0, !loop.isWaitingForDueJobs {
                            logger.info("idle, waiting for jobs due soon or held back by limits", metadata: [
                                "jobs": "\(dueSoon)", "idle_wait_seconds": "\(options.idleWaitSeconds)",
                            ])
                        }
                        loop.dueSoon(dueSoon)
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
        if options.exitWhenIdle, loop.inFlight == 0,
            let later = try? fetch.use({ try JobQueue(connection: $0).dueLater(seconds: 0, queues: options.queues) }),
            later > 0
        {
            logger.notice("exiting while idle; jobs remain scheduled or waiting to retry later than --idle-wait",
                          metadata: ["jobs": "\(later)"])
        }
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

    /// Writes pending results — failures, completions with their fenced statements, the claim of up to
    /// `claimLimit` new jobs and the fold of batch counters, in one transaction of one or two round trips
    /// (``JobQueue/writeResults(completions:failures:worker:claimLimit:queues:)``) — and returns the claimed jobs.
    /// On an error the results are put back; the fence makes writing them twice harmless.
    func flush(_ fetch: ManagedConnection, claimLimit: Int, into summary: inout WorkerSummary) throws
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
                        "code": "\(failure.code)", "error": "\(failure.reason)",
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
    func releaseInFlight(_ fetch: ManagedConnection) throws -> Int {
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

    func abandonInFlight(reason: String) {
        let running = shared.withLock { s -> [JobContext] in
            s.dropResults = true
            return s.running.values.map(\.context)
        }
        for context in running { context.cancel(.shutdown) }
        logger.warning("abandoning in-flight jobs; the rescuer will return them", metadata: ["reason": "\(reason)"])
    }

    /// After the fetch connection came back: register again (the rescuer may have removed this worker) and
    /// release jobs claimed for this worker that it does not know about (a claim whose reply was lost).
    func recover(_ fetch: ManagedConnection) throws {
        // Jobs running here, and jobs finished here whose results wait to be written, are known claims.
        let known = shared.withLock { s in
            Array(s.running.keys) + s.completions.map(\.jobID) + s.failures.map(\.jobID)
        }
        try fetch.use { connection in
            let queue = JobQueue(connection: connection)
            try queue.register(registration)
            let orphans = try queue.orphanedClaims(worker: id, known: known)
            if !orphans.isEmpty {
                let released = try queue.release(orphans, worker: id)
                logger.notice("released claims whose reply was lost", metadata: ["count": "\(released.count)"])
            }
        }
        logger.info("database connection re-established")
    }
}
