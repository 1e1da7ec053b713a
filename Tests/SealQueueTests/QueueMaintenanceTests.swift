import Foundation
import Postgres
import SealQueue
import SealWorker
import Testing

/// Priorities, run-at scheduling, the pruner, the unknown-kind path and leader election on a real PostgreSQL.
@Suite(.serialized) struct QueueMaintenanceTests {
    func register(_ queue: JobQueue) throws -> UUID {
        let id = UUID()
        try queue.register(WorkerRegistration(id: id, name: "t", host: "h", pid: 1, concurrency: 1, queues: nil, kinds: []))
        return id
    }

    @Test func lowerPriorityNumbersRunFirstAndQueuesAreSeparate() throws {
        let queue = JobQueue(connection: try PGConnection(try QueueTestSupport.freshDatabase()))
        let worker = try register(queue)
        let late = try queue.enqueue(NewJob(kind: "noop", priority: 5))
        let urgent = try queue.enqueue(NewJob(kind: "noop", priority: -1))
        let other = try queue.enqueue(NewJob(kind: "noop", queue: "ofd", priority: -9))
        #expect(try queue.claim(limit: 1, worker: worker, queues: ["default"]).map(\.id) == [urgent.id])
        #expect(try queue.claim(limit: 1, worker: worker, queues: ["default"]).map(\.id) == [late.id])
        #expect(try queue.claim(limit: 5, worker: worker, queues: ["default"]).isEmpty)
        #expect(try queue.claim(limit: 5, worker: worker, queues: ["pdf", "ofd"]).map(\.id) == [other.id])
    }

    @Test func scheduledJobsWaitForTheirTimeThenThePromoterReleasesThem() throws {
        let queue = JobQueue(connection: try PGConnection(try QueueTestSupport.freshDatabase()))
        let worker = try register(queue)
        let job = try queue.enqueue(NewJob(kind: "noop", scheduledAt: Date().timeIntervalSince1970 + 0.6))
        #expect(try queue.job(id: job.id)?.state == .scheduled)
        #expect(try queue.promote() == 0)
        #expect(try queue.claim(limit: 5, worker: worker, queues: nil).isEmpty)
        usleep(700_000)
        #expect(try queue.promote() == 1)
        #expect(try queue.claim(limit: 5, worker: worker, queues: nil).map(\.id) == [job.id])
    }

    @Test func prunerDeletesFinishedJobsPastRetentionWithOutputsAndDocuments() throws {
        let connection = try PGConnection(try QueueTestSupport.freshDatabase())
        let queue = JobQueue(connection: connection)
        let worker = try register(queue)
        let done = try queue.enqueue(NewJob(kind: "noop", document: Data("%PDF-1.7".utf8), documentName: "a.pdf"))
        let live = try queue.enqueue(NewJob(kind: "noop", batchLabel: "kept"))
        let claimed = try queue.claim(limit: 1, worker: worker, queues: nil)
        #expect(claimed.map(\.id) == [done.id] && claimed[0].documentID != nil)
        _ = try queue.writeResults(completions: [JobCompletion(jobID: done.id, attempt: 1, output: Data("signed".utf8))], worker: worker)
        #expect(try queue.prune(.standard) == (0, 0), "inside the retention nothing goes")
        let pruned = try queue.prune(RetentionPolicy(completedSeconds: 0, cancelledSeconds: 0, discardedSeconds: 0))
        #expect(pruned.jobs == 1 && pruned.documents == 1)
        #expect(try queue.job(id: done.id) == nil)
        #expect(try queue.job(id: live.id)?.state == .available)
        #expect(try connection.query("SELECT count(*) FROM sealpress.outputs")[0].int(0) == 0)
        #expect(try connection.query("SELECT count(*) FROM sealpress.documents")[0].int(0) == 0)
    }

    @Test func aKindWithoutHandlerFailsWithAClearReasonAndIsRetried() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        try connection.execute("INSERT INTO sealpress.job_kinds (kind) VALUES ('mystery')")
        let queue = JobQueue(connection: connection)
        let job = try queue.enqueue(NewJob(kind: "mystery", maxAttempts: 5))
        let running = QueueTestSupport.start(Worker(options: WorkerOptions(concurrency: 1, timings: QueueTestSupport.fastTimings)) {
            try PGConnection(url)
        })
        let failed = try QueueTestSupport.waitUntil(timeout: 10) { try queue.job(id: job.id)?.errorCount ?? 0 >= 1 }
        try running.stop()
        #expect(failed)
        let record = try #require(try queue.job(id: job.id))
        #expect(record.state == .retryable || record.state == .available)
        #expect(record.errorsJSON.contains("no handler for kind") && record.lastErrorCode == .unknownKind)
    }

    @Test func jobsPastTheTimeoutAreStoppedFailedAndRetried() throws {
        let url = try QueueTestSupport.freshDatabase()
        let queue = JobQueue(connection: try PGConnection(url))
        let job = try queue.enqueue(NewJob(kind: "noop", argsJSON: "{\"sleep_ms\": 60000}", maxAttempts: 2))
        let options = WorkerOptions(concurrency: 1, timings: QueueTestSupport.fastTimings,
                                    retryPolicy: RetryPolicy(baseSeconds: 0.05, maximumSeconds: 1), jobTimeoutSeconds: 0.3)
        let started = Date()
        let running = QueueTestSupport.start(Worker(options: options) { try PGConnection(url) })
        let discarded = try QueueTestSupport.waitUntil(timeout: 15) { try queue.job(id: job.id)?.state == .discarded }
        try running.stop()
        #expect(discarded)
        #expect(Date().timeIntervalSince(started) < 10, "two 0.3 s attempts, not two 60 s sleeps")
        let record = try #require(try queue.job(id: job.id))
        #expect(record.errorCount == 2 && record.lastErrorCode == .timeout && record.errorsJSON.contains("timed out"))
    }

    @Test func exactlyOneLeaderAmongWorkersAndItHandsOverWhenItStops() throws {
        let url = try QueueTestSupport.freshDatabase()
        let workers = (0..<3).map { _ in
            QueueTestSupport.start(Worker(options: WorkerOptions(concurrency: 1, timings: QueueTestSupport.fastTimings)) {
                try PGConnection(url)
            })
        }
        #expect(QueueTestSupport.waitUntil(timeout: 10) { workers.filter { $0.worker.isLeader }.count == 1 })
        usleep(500_000)
        #expect(workers.filter { $0.worker.isLeader }.count == 1, "never two leaders")
        let leader = try #require(workers.first { $0.worker.isLeader })
        try leader.stop()
        let rest = workers.filter { $0 !== leader }
        #expect(QueueTestSupport.waitUntil(timeout: 10) { rest.filter { $0.worker.isLeader }.count == 1 })
        for worker in rest { try worker.stop() }
    }
    /// A SIGSTOPped leader keeps its session, and with it the leader lock: before the fix no other worker could
    /// become leader, so the stalled worker's own jobs stayed `running` (nothing rescued them) until it woke.
    @Test func aStalledLeaderIsDeposedAndItsJobsAreRescued() throws {
        let url = try QueueTestSupport.freshDatabase()
        let admin = try PGConnection(url)
        let queue = JobQueue(connection: admin)
        let stalled = UUID()
        try queue.register(WorkerRegistration(id: stalled, name: "stalled", host: "h", pid: 1, concurrency: 1,
                                              queues: nil, kinds: ["noop"]))
        let job = try queue.enqueue(NewJob(kind: "noop"))
        #expect(try queue.claim(limit: 1, worker: stalled, queues: nil).map(\.id) == [job.id])
        // The stalled process's maintenance session: named, holding the leader lock, never answering again.
        let session = JobQueue(connection: try PGConnection(url))
        try session.nameMaintenanceSession(worker: stalled)
        #expect(try session.tryBecomeLeader())
        #expect(try !queue.endStalledLeader(afterSeconds: 30), "a leader that heartbeats is left alone")
        _ = try admin.query("UPDATE sealpress.workers SET heartbeat_at = now() - interval '1 hour' WHERE id = $1",
                            [.uuid(stalled)])

        let running = QueueTestSupport.start(Worker(options: WorkerOptions(
            concurrency: 1, timings: QueueTestSupport.fastTimings)) { try PGConnection(url) })
        let completed = try QueueTestSupport.waitUntil(timeout: 15) { try queue.job(id: job.id)?.state == .completed }
        let tookOver = running.worker.isLeader
        try running.stop()
        #expect(completed, "the stalled leader's job was rescued and run by the live worker")
        #expect(tookOver)
        let record = try #require(try queue.job(id: job.id))
        #expect(record.errorsJSON.contains("workerLost") && record.attempt == 2)
        #expect(throws: (any Error).self, "the stalled session was terminated") { try session.tryBecomeLeader() }
    }
    /// A worker that stalls inside its results transaction (SIGSTOP between the two round trips) holds its jobs'
    /// rows locked. Before, the leader's rescuer waited on those locks until that worker woke, and its heartbeat,
    /// promoter and pruner waited with it; now its lock waits are bounded and the server ends the stalled
    /// transaction (the fetch session's idle-in-transaction limit), so the job is rescued.
    @Test func aStalledTransactionNeitherBlocksTheLeaderNorKeepsItsJobs() throws {
        let url = try QueueTestSupport.freshDatabase()
        let admin = try PGConnection(url)
        let queue = JobQueue(connection: admin)
        let stalled = UUID()
        try queue.register(WorkerRegistration(id: stalled, name: "stalled", host: "h", pid: 1, concurrency: 1,
                                              queues: nil, kinds: ["noop"]))
        let job = try queue.enqueue(NewJob(kind: "noop"))
        #expect(try queue.claim(limit: 1, worker: stalled, queues: nil).map(\.id) == [job.id])
        // The stalled worker's fetch session, limited as the worker limits it, stopped inside a transaction.
        let session = try PGConnection(url)
        try JobQueue(connection: session).limitIdleTransactions(seconds: 6)
        try session.execute("BEGIN")
        _ = try session.query("SELECT id FROM sealpress.jobs WHERE id = $1 FOR UPDATE", [.int64(job.id)])
        _ = try admin.query("UPDATE sealpress.workers SET heartbeat_at = now() - interval '1 hour' WHERE id = $1",
                            [.uuid(stalled)])
        let later = try queue.enqueue(NewJob(kind: "noop", scheduledAt: Date().timeIntervalSince1970 + 0.5))

        let running = QueueTestSupport.start(Worker(options: WorkerOptions(
            concurrency: 1, timings: QueueTestSupport.fastTimings)) { try PGConnection(url) })
        let promoted = try QueueTestSupport.waitUntil(timeout: 4.5) {
            try queue.job(id: later.id)?.state == .completed
        }
        let rescued = try QueueTestSupport.waitUntil(timeout: 20) { try queue.job(id: job.id)?.state == .completed }
        try running.stop()
        #expect(promoted, "the leader promoted and ran a scheduled job while the rescue waited on a lock")
        #expect(rescued, "the stalled transaction ended and the job was rescued and run")
        #expect(try queue.job(id: job.id)?.errorsJSON.contains("workerLost") == true)
        #expect(throws: (any Error).self, "the server closed the stalled session") {
            _ = try session.query("SELECT 1")
        }
    }
}
