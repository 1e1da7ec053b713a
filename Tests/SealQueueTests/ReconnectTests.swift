import Foundation
import Postgres
import SealQueue
import SealWorker
import Testing

/// A worker whose connections all break reconnects, registers again and hands back claims it never heard of.
@Suite(.serialized) struct ReconnectTests {
    @Test func aClaimWhoseReplyWasLostIsReleasedAfterReconnecting() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        let queue = JobQueue(connection: connection)
        var timings = QueueTestSupport.fastTimings
        timings.pollSeconds = 0.2
        let running = QueueTestSupport.start(Worker(options: WorkerOptions(concurrency: 2, timings: timings)) {
            try PGConnection(url)
        })
        defer { _ = try? running.stop() }
        #expect(try QueueTestSupport.waitUntil(timeout: 10) {
            try connection.query("SELECT count(*) FROM sealpress.workers")[0].int(0) == 1
        })
        // A claim committed in the worker's name whose reply never reached it: the job sits in `running`.
        let job = try queue.enqueue(NewJob(kind: "noop", scheduledAt: Date().timeIntervalSince1970 + 3600))
        try connection.query(
            "UPDATE sealpress.jobs SET state = 'running', attempt = 1, locked_by = $2, attempted_at = now(), scheduled_at = now() WHERE id = $1",
            [.int64(job.id), .uuid(running.worker.id)])
        // Every connection of the worker breaks (as in a failover); it reconnects and hands the lost claim back.
        try connection.query("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
            """)
        let finished = try QueueTestSupport.waitUntil(timeout: 15) { try queue.job(id: job.id)?.state == .completed }
        let record = try #require(try queue.job(id: job.id))
        #expect(finished, "state \(record.state)")
        #expect(record.attempt == 2 && record.errorsJSON.contains("released"))
        #expect(try connection.query("SELECT count(*) FROM sealpress.workers")[0].int(0) == 1, "registered again")
    }
}
