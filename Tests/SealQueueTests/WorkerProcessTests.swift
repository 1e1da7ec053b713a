import Foundation
import Postgres
import SealQueue
import Testing

/// Several `sealpress worker` processes on one real PostgreSQL: exactly once, crashes, graceful shutdown.
@Suite(.serialized) struct WorkerProcessTests {
    @Test func jobsAcrossSeveralProcessesAreEachCompletedExactlyOnce() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        let queue = JobQueue(connection: connection)
        let count = 300
        let jobs = try queue.enqueueMany(
            kind: "noop", argsJSON: (0..<count).map { "{\"sleep_ms\": \(15 + $0 % 5), \"output\": \"out-\($0)\"}" },
            batchLabel: "exactly-once")
        let workers = try (1...3).map { index in
            try WorkerProcess(url: url, ["--exit-when-idle", "--concurrency", "4", "--id", "p\(index)"]
                + QueueTestSupport.fastWorkerArguments)
        }
        for worker in workers {
            let status = worker.wait(timeout: 60)
            #expect(status == 0, "worker exit \(String(describing: status)):\n\(worker.log)")
        }
        #expect(try QueueTestSupport.counts(connection) == [.completed: count])
        // Claimed once each (the attempt counter is the claim count), one output row each, with the right bytes.
        #expect(try connection.query("SELECT count(*) FROM sealpress.jobs WHERE attempt <> 1")[0].int(0) == 0)
        let outputs = try connection.query("""
            SELECT count(*), count(DISTINCT o.job_id),
                   count(*) FILTER (WHERE convert_from(o.bytes, 'UTF8') = j.args ->> 'output')
              FROM sealpress.outputs o JOIN sealpress.jobs j ON j.id = o.job_id
            """)[0]
        #expect(try outputs.int(0) == count && outputs.int(1) == count && outputs.int(2) == count)
        // Work was shared, and every process left its row behind cleanly.
        let perWorker = try connection.query("SELECT count(DISTINCT locked_by) FROM sealpress.jobs")[0].int(0)
        #expect(perWorker >= 2)
        #expect(try connection.query("SELECT count(*) FROM sealpress.workers")[0].int(0) == 0)
        let batch = try connection.query("SELECT total, completed, finished_at IS NOT NULL FROM sealpress.batches")[0]
        #expect(try batch.int(0) == count && batch.int(1) == count && batch.bool(2))
        #expect(jobs.count == count)
    }

    @Test func aWorkerKilledMidJobLosesNothing() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        let queue = JobQueue(connection: connection)
        let count = 24
        try queue.enqueueMany(kind: "noop", argsJSON: (0..<count).map { "{\"sleep_ms\": 400, \"output\": \"o\($0)\"}" })
        let victim = try WorkerProcess(url: url, ["--concurrency", "4", "--id", "victim"] + QueueTestSupport.fastWorkerArguments)
        // Wait until the victim is in the middle of jobs, then kill it without warning.
        #expect(try QueueTestSupport.waitUntil(timeout: 20) {
            try connection.query("SELECT count(*) FROM sealpress.jobs WHERE state = 'running'")[0].int(0) == 4
        })
        victim.signal(SIGKILL)
        _ = victim.wait(timeout: 10)
        let orphaned = try connection.query("SELECT count(*) FROM sealpress.jobs WHERE state = 'running'")[0].int(0)
        #expect(orphaned >= 1, "the victim should have died holding jobs")

        let survivor = try WorkerProcess(url: url, ["--concurrency", "4", "--id", "survivor"] + QueueTestSupport.fastWorkerArguments)
        let finished = try QueueTestSupport.waitUntil(timeout: 60) {
            try QueueTestSupport.counts(connection)[.completed] == count
        }
        survivor.signal(SIGTERM)
        #expect(survivor.wait(timeout: 20) == 0)
        let finalCounts = try QueueTestSupport.counts(connection)
        #expect(finished, "counts: \(finalCounts)\n\(survivor.log)")
        #expect(try connection.query("SELECT count(*), count(DISTINCT job_id) FROM sealpress.outputs")[0].int(0) == count)
        // The jobs the victim held were rescued (an error entry, attempt 2) and finished by the survivor.
        let rescued = try connection.query("""
            SELECT count(*) FROM sealpress.jobs
             WHERE attempt = 2 AND errors @> '[{"code": "workerLost"}]'::jsonb AND state = 'completed'
            """)[0].int(0)
        #expect(rescued == orphaned)
        #expect(try connection.query("SELECT count(*) FROM sealpress.workers")[0].int(0) == 0,
                "the dead worker's row is removed by the rescuer")
    }

    @Test func sigtermDrainsInFlightJobsAndReleasesWhatOutlivesTheGracePeriod() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        let queue = JobQueue(connection: connection)
        try queue.enqueueMany(kind: "noop", argsJSON: Array(repeating: "{\"sleep_ms\": 700}", count: 6))
        let worker = try WorkerProcess(url: url, ["--concurrency", "2", "--grace-seconds", "10"] + QueueTestSupport.fastWorkerArguments)
        #expect(try QueueTestSupport.waitUntil(timeout: 20) {
            try connection.query("SELECT count(*) FROM sealpress.jobs WHERE state = 'running'")[0].int(0) == 2
        })
        let signalled = Date()
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: 15) == 0, "\(worker.log)")
        #expect(Date().timeIntervalSince(signalled) < 5)
        let counts = try QueueTestSupport.counts(connection)
        // The two in flight finished; nothing new was claimed; nothing is left running.
        #expect(counts[.completed] == 2 && counts[.available] == 4 && counts[.running] == nil, "\(counts)")
        #expect(try connection.query("SELECT count(*) FROM sealpress.jobs WHERE state = 'available' AND attempt = 0")[0].int(0) == 4)
        #expect(try connection.query("SELECT count(*) FROM sealpress.workers")[0].int(0) == 0)

        // A job longer than the grace period is released back to the queue, not left running.
        try connection.execute("DELETE FROM sealpress.jobs")
        let long = try queue.enqueue(NewJob(kind: "noop", argsJSON: "{\"sleep_ms\": 60000}"))
        let impatient = try WorkerProcess(url: url, ["--concurrency", "1", "--grace-seconds", "0.5"] + QueueTestSupport.fastWorkerArguments)
        #expect(try QueueTestSupport.waitUntil(timeout: 20) { try queue.job(id: long.id)?.state == .running })
        impatient.signal(SIGTERM)
        #expect(impatient.wait(timeout: 10) == 0, "\(impatient.log)")
        let record = try #require(try queue.job(id: long.id))
        #expect(record.state == .available && record.attempt == 1 && record.errorsJSON.contains("released"))
    }
}
