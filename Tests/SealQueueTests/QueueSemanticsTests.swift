import Foundation
import Postgres
import SealQueue
import SealWorker
import Testing

/// Queue semantics on a real PostgreSQL, with workers running in this process.
@Suite(.serialized) struct QueueSemanticsTests {
    @Test func idempotencyKeysDedupeWhileTheJobIsLive() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        let queue = JobQueue(connection: connection)
        let first = try queue.enqueue(NewJob(kind: "noop", idempotencyKey: "invoice-42"))
        let again = try queue.enqueue(NewJob(kind: "noop", argsJSON: "{\"other\": true}", idempotencyKey: "invoice-42"))
        #expect(first.created && !again.created && again.id == first.id)
        let many = try queue.enqueueMany(kind: "noop", argsJSON: ["{}", "{}", "{}"],
                                         idempotencyKeys: ["invoice-42", "invoice-43", "invoice-43"])
        #expect(many.map(\.created) == [false, true, false])
        #expect(many[0].id == first.id && many[2].id == many[1].id)
        #expect(try QueueTestSupport.counts(connection)[.available] == 2)

        // Once the job is finished the key is free again.
        let worker = UUID()
        try queue.register(WorkerRegistration(id: worker, name: "t", host: "h", pid: 1, concurrency: 1, queues: nil, kinds: ["noop"]))
        let claimed = try queue.claim(limit: 10, worker: worker, queues: nil)
        #expect(claimed.count == 2)
        #expect(try queue.writeResults(completions: claimed.map { JobCompletion(jobID: $0.id, attempt: $0.attempt) }, worker: worker)
            .completed.count == 2)
        let later = try queue.enqueue(NewJob(kind: "noop", idempotencyKey: "invoice-42"))
        #expect(later.created && later.id != first.id)
    }

    /// Batch counters: exact at once through `batch_progress`, folded into `batches` (finished_at; the pipeline schema NOTIFYs on it) by the
    /// fold; a producer's open transaction into the batch never blocks the completions of that batch.
    @Test func batchProgressIsExactAndTheFoldFinishesTheBatch() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        // One round trip for three jobs with their own documents; all or nothing.
        let jobs = try queue.enqueue((1...3).map { n in
            NewJob(kind: "noop", batchLabel: "licences", document: Data("doc \(n)".utf8), documentName: "d\(n).pdf")
        })
        #expect(jobs.count == 3 && jobs.allSatisfy(\.created) && Set(jobs.map(\.id)).count == 3)
        #expect(throws: (any Error).self) {
            try queue.enqueue([NewJob(kind: "noop", batchLabel: "licences"), NewJob(kind: "no-such-kind", batchLabel: "licences")])
        }
        func progress() throws -> [Int] {
            let row = try connection.query(
                "SELECT total, completed, cancelled, finished_at IS NOT NULL FROM sealpress.batch_progress WHERE label = 'licences'")[0]
            return [try row.int(0), try row.int(1), try row.int(2), try row.bool(3) ? 1 : 0]
        }
        #expect(try progress() == [3, 0, 0, 0])

        // A producer keeps a transaction open on the batch; completions of the batch must not wait for it.
        let producer = try PGConnection(url)
        defer { producer.close() }
        try producer.execute("BEGIN")
        _ = try JobQueue(connection: producer).enqueue(NewJob(kind: "noop", batchLabel: "licences"))
        let worker = UUID()
        try queue.register(WorkerRegistration(id: worker, name: "t", host: "h", pid: 1, concurrency: 2, queues: nil, kinds: ["noop"]))
        let claimed = try queue.claim(limit: 2, worker: worker, queues: nil)
        // The claim read each job's own document (no query per job afterwards).
        #expect(claimed.map { $0.document.map { String(decoding: $0.content, as: UTF8.self) } } == ["doc 1", "doc 2"])
        #expect(claimed.map { $0.document?.name } == ["d1.pdf", "d2.pdf"])
        #expect(claimed.allSatisfy { $0.document?.id == $0.documentID && $0.document?.sha256.count == 32 })
        try connection.execute("SET lock_timeout = '2s'")
        let written = try queue.writeResults(
            completions: claimed.map { JobCompletion(jobID: $0.id, attempt: $0.attempt) }, failures: [], worker: worker,
            claimLimit: 0, queues: nil)
        #expect(written.completed.count == 2)
        try producer.execute("ROLLBACK")
        #expect(try queue.cancel(jobID: jobs.map(\.id).max()!) == .available)
        // The cancel's delta is visible at once; the fold moves it into the row and finishes the batch.
        #expect(try progress() == [3, 2, 1, 0])
        #expect(try connection.query("SELECT count(*) FROM sealpress.batch_deltas")[0].int(0) > 0)
        #expect(try queue.foldBatchDeltas() == 1)
        #expect(try progress() == [3, 2, 1, 1])
        let row = try connection.query("SELECT total, completed, cancelled FROM sealpress.batches WHERE label = 'licences'")[0]
        #expect(try [row.int(0), row.int(1), row.int(2)] == [3, 2, 1])
        #expect(try queue.foldBatchDeltas() == 0)
    }

    @Test func staleWorkersCompletionIsRejectedByTheFence() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        let queue = JobQueue(connection: connection)
        let stale = UUID()
        let fresh = UUID()
        for id in [stale, fresh] {
            try queue.register(WorkerRegistration(id: id, name: "w", host: "h", pid: 1, concurrency: 1, queues: nil, kinds: []))
        }
        let job = try queue.enqueue(NewJob(kind: "noop"))
        let first = try #require(try queue.claim(limit: 1, worker: stale, queues: nil).first)
        #expect(first.id == job.id && first.attempt == 1)

        // The stale worker stops heartbeating; the rescuer hands its job back and another worker takes it.
        _ = try connection.query("UPDATE sealpress.workers SET heartbeat_at = now() - interval '1 hour' WHERE id = $1", [.uuid(stale)])
        let rescued = try queue.rescue(afterSeconds: 60)
        #expect(rescued.workers == 1 && rescued.jobs == 1)
        #expect(try queue.promote() == 1)
        let second = try #require(try queue.claim(limit: 1, worker: fresh, queues: nil).first)
        #expect(second.id == job.id && second.attempt == 2)

        // The zombie finishes late: nothing it sends may land.
        let zombie = try queue.writeResults(
            completions: [JobCompletion(jobID: job.id, attempt: 1, output: Data("zombie".utf8))], worker: stale).completed
        #expect(zombie.isEmpty)
        let zombieFail = try queue.writeResults(
            failures: [JobFailureRecord(jobID: job.id, attempt: 1, code: .unexpected, reason: "late")], worker: stale).failed
        #expect(zombieFail.isEmpty)
        // Even with the right attempt number but the wrong worker.
        #expect(try queue.writeResults(
            completions: [JobCompletion(jobID: job.id, attempt: 2, output: Data("x".utf8))], worker: stale).completed.isEmpty)

        let accepted = try queue.writeResults(
            completions: [JobCompletion(jobID: job.id, attempt: 2, output: Data("signed".utf8), reportJSON: "{\"ok\": true}")],
            worker: fresh).completed
        #expect(accepted == [job.id])
        let outputs = try connection.query("SELECT attempt::int, bytes, report::text FROM sealpress.outputs WHERE job_id = $1", [.int64(job.id)])
        #expect(outputs.count == 1)
        #expect(try outputs[0].int(0) == 2)
        #expect(try outputs[0].bytes(1) == Array("signed".utf8))
        let record = try #require(try queue.job(id: job.id))
        #expect(record.state == .completed)
        #expect(record.errorsJSON.contains("workerLost") && record.lastErrorCode == .workerLost)
        // Completing again (a retried flush) changes nothing.
        #expect(try queue.writeResults(
            completions: [JobCompletion(jobID: job.id, attempt: 2, output: Data("again".utf8))], worker: fresh).completed.isEmpty)
    }

    @Test func retriesBackOffThenDiscardKeepingEveryError() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        let queue = JobQueue(connection: connection)
        let job = try queue.enqueue(NewJob(kind: "noop", argsJSON: "{\"fail_times\": 99}", maxAttempts: 3))
        let options = WorkerOptions(concurrency: 2, timings: QueueTestSupport.fastTimings,
                                    retryPolicy: RetryPolicy(baseSeconds: 0.3, maximumSeconds: 10, jitter: 0.2))
        let running = QueueTestSupport.start(Worker(options: options) { try PGConnection(url) })
        let discarded = try QueueTestSupport.waitUntil(timeout: 15) { try queue.job(id: job.id)?.state == .discarded }
        try running.stop()
        #expect(discarded)
        let record = try #require(try queue.job(id: job.id))
        #expect(record.attempt == 3 && record.errorCount == 3)
        let times = try connection.query("""
            SELECT (e ->> 'attempt')::int, extract(epoch FROM (e ->> 'at')::timestamptz)::float8
              FROM sealpress.jobs, jsonb_array_elements(errors) e WHERE id = $1 ORDER BY 1
            """, [.int64(job.id)]).map { (try $0.int(0), try $0.double(1)) }
        #expect(times.map(\.0) == [1, 2, 3])
        // Backoff: ≥ 0.3 s × 0.8 after attempt 1, ≥ 0.6 s × 0.8 after attempt 2 (exponential).
        #expect(times[1].1 - times[0].1 >= 0.24)
        #expect(times[2].1 - times[1].1 >= 0.48)
        #expect(record.errorsJSON.contains("noop asked to fail"))
    }

    @Test func cancelQueuedAndRunningJobs() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        let queue = JobQueue(connection: connection)
        let later = try queue.enqueue(NewJob(kind: "noop", scheduledAt: Date().timeIntervalSince1970 + 3600))
        #expect(try queue.cancel(jobID: later.id) == .scheduled)
        #expect(try queue.job(id: later.id)?.state == .cancelled)
        #expect(try queue.cancel(jobID: 999_999) == nil)

        let long = try queue.enqueue(NewJob(kind: "noop", argsJSON: "{\"sleep_ms\": 30000, \"output\": \"never\"}"))
        let running = QueueTestSupport.start(Worker(options: WorkerOptions(concurrency: 2, timings: QueueTestSupport.fastTimings)) {
            try PGConnection(url)
        })
        #expect(try QueueTestSupport.waitUntil(timeout: 10) { try queue.job(id: long.id)?.state == .running })
        let cancelledAt = Date()
        #expect(try queue.cancel(jobID: long.id) == .running)
        // The handler sees the cancellation through NOTIFY and stops; its result is rejected by the fence.
        let summary = try running.stop(timeout: 10)
        #expect(Date().timeIntervalSince(cancelledAt) < 5)
        #expect(summary.rejected == 1 && summary.completed == 0)
        #expect(try queue.job(id: long.id)?.state == .cancelled)
        #expect(try connection.query("SELECT count(*) FROM sealpress.outputs")[0].int(0) == 0)
    }

    @Test func notifyWakesAnIdleWorkerWellUnderThePollInterval() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        let queue = JobQueue(connection: connection)
        var timings = QueueTestSupport.fastTimings
        timings.pollSeconds = 30
        let running = QueueTestSupport.start(Worker(options: WorkerOptions(concurrency: 1, timings: timings)) {
            try PGConnection(url)
        })
        defer { _ = try? running.stop() }
        #expect(try QueueTestSupport.waitUntil(timeout: 10) {
            try connection.query("SELECT count(*) FROM sealpress.workers")[0].int(0) == 1
        })
        usleep(500_000)  // the worker's first claim found nothing: it now sleeps until NOTIFY or 30 s
        let enqueuedAt = Date()
        let job = try queue.enqueue(NewJob(kind: "noop"))
        #expect(try QueueTestSupport.waitUntil(timeout: 10) { try queue.job(id: job.id)?.state == .completed })
        let latency = Date().timeIntervalSince(enqueuedAt)
        #expect(latency < 1.0, "woken after \(latency) s; the poll interval is 30 s")
    }
}
