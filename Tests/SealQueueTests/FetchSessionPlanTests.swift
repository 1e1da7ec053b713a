import Foundation
import Postgres
@testable import SealQueue
import Testing

/// The worker's fetch session keeps its plans for its whole life (generic plans, and `sealpress.claim_jobs`' cached
/// plans): plans made while the tables held a few rows must not read the whole tables once they hold thousands.
@Suite struct FetchSessionPlanTests {
    @Test func plansMadeOnATinyQueueDoNotScanItOnceItIsLarge() throws {
        let url = try QueueTestSupport.freshDatabase()
        let producer = try PGConnection(url)
        defer { producer.close() }
        // No autovacuum ANALYZE during the test: it would invalidate the cached plans and hide the ones made small.
        try producer.execute("""
            ALTER TABLE sealpress.jobs SET (autovacuum_enabled = off);
            ALTER TABLE sealpress.documents SET (autovacuum_enabled = off)
            """)
        let fetch = try PGConnection(url)
        defer { fetch.close() }
        let queue = JobQueue(connection: fetch)
        try queue.useGenericPlans()  // as the worker's fetch connection
        let worker = UUID()
        try queue.register(WorkerRegistration(
            id: worker, name: "plans", host: "h", pid: 1, concurrency: 5, queues: nil, kinds: ["noop"]))

        func enqueue(_ count: Int) throws {
            _ = try JobQueue(connection: producer).enqueue((0..<count).map { index in
                NewJob(kind: "noop", document: Data(repeating: UInt8(index % 251), count: 2048), documentName: "in.pdf")
            })
        }
        // Outputs that extend their inputs: the completion reads each job's document (output_sha256).
        func completions(_ jobs: [ClaimedJob]) -> [JobCompletion] {
            jobs.map { job in
                let input = job.document?.content ?? Data()
                return JobCompletion(jobID: job.id, attempt: job.attempt, output: input + Data("%% update".utf8))
                    .extending(input: input)
            }
        }

        // Plans made while the queue holds 20 jobs (a worker started on a new queue): claim, complete-and-claim.
        try enqueue(20)
        var claimed = try queue.writeResults(worker: worker, claimLimit: 5).claimed
        #expect(claimed.count == 5)
        claimed = try queue.writeResults(completions: completions(claimed), worker: worker, claimLimit: 5).claimed
        #expect(claimed.count == 5)

        // The same session once 3,000 more jobs wait: its statements, and the claim inside them, read by key.
        try enqueue(3000)
        try fetch.execute("BEGIN")
        let written = try queue.writeResults(completions: completions(claimed), worker: worker, claimLimit: 5)
        let scans = try fetch.query("""
            SELECT relname::text, seq_scan FROM pg_stat_xact_user_tables
             WHERE schemaname = 'sealpress' AND relname IN ('jobs', 'documents') ORDER BY relname
            """)
        try fetch.execute("COMMIT")
        #expect(written.completed.count == 5)
        #expect(written.claimed.count == 5)
        #expect(scans.count == 2)
        for row in scans {
            let table = try row.string(0)
            #expect(try row.int(1) == 0, "a fetch cycle scanned sealpress.\(table) sequentially")
        }
        // A statement whose only path is a scan (the batch fold's) costs 10^10 without sequential scans: it must
        // not be JIT-compiled at every fold (a second each, under the usage chain's lock).
        let fold = try fetch.query("EXPLAIN DELETE FROM sealpress.batch_deltas RETURNING *").map { try $0.string(0) }
        #expect(fold.contains { $0.contains("Seq Scan on batch_deltas") })
        #expect(!fold.contains { $0.hasPrefix("JIT:") }, "the fetch session JIT-compiles: \(fold)")
    }

    /// Any session's claim (migration 7: `sealpress.claim_jobs` plans with `enable_seqscan = off`), here one that
    /// only forces generic plans, as a connection pooler's or another client's may.
    @Test func aClaimPlannedOnATinyQueueDoesNotScanItOnceItIsLarge() throws {
        let url = try QueueTestSupport.freshDatabase()
        let producer = try PGConnection(url)
        defer { producer.close() }
        try producer.execute("ALTER TABLE sealpress.jobs SET (autovacuum_enabled = off)")
        let session = try PGConnection(url)
        defer { session.close() }
        try session.execute("SET plan_cache_mode = force_generic_plan")
        let queue = JobQueue(connection: session)
        let worker = UUID()
        _ = try JobQueue(connection: producer).enqueueMany(kind: "noop", argsJSON: Array(repeating: "{}", count: 20))
        #expect(try queue.claim(limit: 5, worker: worker, queues: nil).count == 5)
        _ = try JobQueue(connection: producer).enqueueMany(kind: "noop", argsJSON: Array(repeating: "{}", count: 3000))
        try session.execute("BEGIN")
        let claimed = try queue.claim(limit: 5, worker: worker, queues: nil)
        let scans = try session.query("""
            SELECT seq_scan FROM pg_stat_xact_user_tables WHERE schemaname = 'sealpress' AND relname = 'jobs'
            """)[0].int(0)
        try session.execute("COMMIT")
        #expect(claimed.count == 5)
        #expect(scans == 0, "the claim scanned sealpress.jobs sequentially")
    }
}
