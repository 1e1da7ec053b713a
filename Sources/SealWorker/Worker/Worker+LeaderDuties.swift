import Foundation
import Logging
import Postgres
import SealQueue

/// The maintenance thread: heartbeats, cancellation reconciliation, leader election and the leader's duties
/// (promoter, rescuer, pruner, batch-counter fold).
extension Worker {
    /// Heartbeats; leader election with `pg_try_advisory_lock` on this loop's own session; leader duties.
    func maintenanceLoop() {
        let connect = self.connect
        let id = self.id
        // Named, so that other workers can end this session's leader lock if this process stalls.
        // Its statements never wait long for a row lock (a stalled worker's open transaction): the heartbeat and
        // the other duties go on, and the rescue is tried again at its next turn.
        let lockWait = max(1, options.timings.rescueSeconds)
        let maintenance = ManagedConnection {
            let connection = try connect()
            let queue = JobQueue(connection: connection)
            try queue.nameMaintenanceSession(worker: id)
            try queue.limitLockWaits(seconds: lockWait)
            return connection
        }
        let timings = options.timings
        var nextHeartbeat: UInt64 = 0
        var nextPromote: UInt64 = 0
        var nextRescue: UInt64 = 0
        var nextPrune: UInt64 = 0
        var nextDuty = [UInt64](repeating: 0, count: options.leaderDuties.count)
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
                        // A leader that stopped heartbeating but keeps its session (a stalled process) would hold
                        // the lock forever: end its session, then take the lock.
                        if now >= nextRescue {
                            if try queue.endStalledLeader(afterSeconds: timings.rescueAfterSeconds) {
                                logger.notice("ended the session of a stalled leader (heartbeat too old)")
                            }
                            nextRescue = after(timings.rescueSeconds)
                        }
                        leader = try queue.tryBecomeLeader()
                        if leader {
                            nextRescue = 0  // a new leader rescues at once (its predecessor may have stalled)
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
                    for (index, duty) in options.leaderDuties.enumerated() where now >= nextDuty[index] {
                        // The next run is due after the interval even when this one fails (logged, not retried hot).
                        nextDuty[index] = after(duty.intervalSeconds)
                        do {
                            try duty.run(connection)
                        } catch {
                            logger.warning("leader duty failed", metadata: ["duty": "\(duty.name)", "error": "\(error)"])
                        }
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
    func reconcileCancellations(_ connection: PGConnection) throws {
        let inFlight = shared.withLock { s in s.running.map { (id: $0.key, attempt: $0.value.job.attempt) } }
        guard !inFlight.isEmpty else { return }
        let held = try JobQueue(connection: connection).heldJobs(inFlight, worker: id)
        for job in inFlight where !held.contains(job.id) {
            let context = shared.withLock { $0.running[job.id]?.context }
            guard let context, !context.isCancelled else { continue }
            context.cancel()
            logger.info("job no longer held by this worker; told it to stop", metadata: ["job": "\(job.id)"])
        }
    }
}
