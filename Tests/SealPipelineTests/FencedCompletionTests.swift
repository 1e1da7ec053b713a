import Foundation
import Postgres
import SealPipeline
import SealQueue
import Testing

/// The queue's completion with fenced extra statements: usage rows are written with the completion, in its
/// transaction, and only when the fence holds.
@Suite struct FencedCompletionTests {
    func usageStatement(job: Int64, host: String = "h") -> FencedStatement {
        let record = UsageRecord(
            sequence: 0, jobID: job, principal: "p", seal: "s", esID: "e", certificateSerial: "01", format: "pdf/pades-b-b",
            documentBefore: String(repeating: "a", count: 64), documentAfter: String(repeating: "b", count: 64),
            signedAt: Date(), timestampTokenHash: nil, host: host, previousHash: "")
        return UsageLog.insertStatement(record)
    }

    /// A fresh pipeline database with `enqueued` noop jobs (in `batch` when given), a registered worker, and the
    /// first `claimed` of them claimed by it. The connection is closed by the caller.
    struct Claimed {
        let connection: PGConnection
        let queue: JobQueue
        let worker: UUID
        let jobs: [ClaimedJob]
    }

    func claimed(_ claimed: Int, of enqueued: Int, batch: String? = nil) throws -> Claimed {
        let connection = try PGConnection(try PipelineDatabase.fresh(prefix: "fence"))
        let queue = JobQueue(connection: connection)
        let worker = UUID()
        _ = try queue.enqueueMany(kind: "noop", argsJSON: Array(repeating: "{}", count: enqueued), batchLabel: batch)
        try queue.register(WorkerRegistration(
            id: worker, name: "t", host: "h", pid: 1, concurrency: claimed, queues: nil, kinds: ["noop"]))
        let jobs = try queue.claim(limit: claimed, worker: worker, queues: nil)
        #expect(jobs.count == claimed)
        return Claimed(connection: connection, queue: queue, worker: worker, jobs: jobs)
    }

    @Test func statementsRunOnlyForCompletionsWhoseFenceHolds() throws {
        let fixture = try claimed(2, of: 2)
        let (connection, queue, worker) = (fixture.connection, fixture.queue, fixture.worker)
        defer { connection.close() }
        let jobs = fixture.jobs
        let stale = JobCompletion(jobID: jobs[0].id, attempt: jobs[0].attempt + 1, fencedStatements: [usageStatement(job: jobs[0].id)])
        let good = JobCompletion(jobID: jobs[1].id, attempt: jobs[1].attempt, output: Data("x".utf8),
                                 fencedStatements: [usageStatement(job: jobs[1].id), usageStatement(job: jobs[1].id)])
        let accepted = try queue.writeResults(completions: [stale, good], worker: worker).completed
        #expect(accepted == [jobs[1].id])
        let rows = try connection.query("SELECT job_id FROM sealpress.usage_log ORDER BY sequence").map { Int64(try $0.int(0)) }
        #expect(rows == [jobs[1].id, jobs[1].id])
        // The fence keeps holding afterwards: completing again writes nothing more.
        #expect(try queue.writeResults(completions: [good], worker: worker).completed.isEmpty)
        #expect(try connection.query("SELECT count(*) FROM sealpress.usage_log")[0].int(0) == 2)
        // Completing and claiming in the same cycle honours them too.
        let next = try queue.writeResults(
            completions: [JobCompletion(jobID: jobs[0].id, attempt: jobs[0].attempt,
                                        fencedStatements: [usageStatement(job: jobs[0].id)])],
            worker: worker, claimLimit: 1)
        #expect(next.completed == [jobs[0].id])
        #expect(try connection.query("SELECT count(*) FROM sealpress.usage_log")[0].int(0) == 3)
    }

    /// The usage rows of one fetch cycle reach the server as ONE multi-row INSERT, in the completions' order, and
    /// the chain trigger still links every row (audit verify passes).
    @Test func usageRowsOfACycleAreOneInsertAndStayChained() throws {
        let fixture = try claimed(4, of: 4)
        let (connection, queue, worker) = (fixture.connection, fixture.queue, fixture.worker)
        defer { connection.close() }
        let jobs = fixture.jobs
        // Counts INSERT statements on the usage log (this throwaway database only).
        try connection.execute("""
            CREATE TABLE public.usage_inserts (n integer NOT NULL);
            INSERT INTO public.usage_inserts VALUES (0);
            CREATE FUNCTION public.count_usage_insert() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE public.usage_inserts SET n = n + 1; RETURN NULL; END $$;
            CREATE TRIGGER count_usage_insert AFTER INSERT ON sealpress.usage_log
                FOR EACH STATEMENT EXECUTE FUNCTION public.count_usage_insert();
            """)
        try UsageLog().append(UsageRecord(
            sequence: 0, jobID: nil, principal: "p", seal: "s", esID: "e", certificateSerial: "01", format: "pdf/pades-b-b",
            documentBefore: String(repeating: "c", count: 64), documentAfter: String(repeating: "d", count: 64),
            signedAt: Date(), timestampTokenHash: "t", host: "before", previousHash: ""), on: connection)
        // Completed in the order 3, 1, 0 (job 2's completion is stale); job 0 signs twice.
        let order = [3, 2, 1, 0]
        let completions = order.map { index in
            JobCompletion(jobID: jobs[index].id, attempt: jobs[index].attempt + (index == 2 ? 1 : 0),
                          output: Data("signed".utf8),
                          fencedStatements: [usageStatement(job: jobs[index].id, host: "h\(index)")]
                              + (index == 0 ? [usageStatement(job: jobs[index].id, host: "h0b")] : []))
        }
        let written = try queue.writeResults(completions: completions, worker: worker, claimLimit: 1)
        #expect(written.completed == Set([0, 1, 3].map { jobs[$0].id }))
        #expect(try connection.query("SELECT n FROM public.usage_inserts")[0].int(0) == 2)  // append + one cycle
        let rows = try connection.query("SELECT sequence, host FROM sealpress.usage_log ORDER BY sequence")
        #expect(try rows.map { try $0.string(1) } == ["before", "h3", "h1", "h0", "h0b"])
        #expect(try rows.map { try $0.int(0) } == [1, 2, 3, 4, 5])
        let outcome = try UsageLog().verify(with: .sha256, on: connection)
        #expect(outcome.isIntact && outcome.checkedRows == 5)
    }

    @Test func aFailingStatementRollsTheCompletionBack() throws {
        let fixture = try claimed(1, of: 1)
        let (connection, queue, worker) = (fixture.connection, fixture.queue, fixture.worker)
        defer { connection.close() }
        let job = fixture.jobs[0]
        let broken = FencedStatement(sql: "INSERT INTO sealpress.usage_log (sequence) VALUES (1)")  // NOT NULL violations
        #expect(throws: (any Error).self) {
            try queue.writeResults(completions: [JobCompletion(jobID: job.id, attempt: job.attempt, output: Data("x".utf8),
                                                               fencedStatements: [broken])], worker: worker)
        }
        #expect(try queue.job(id: job.id)?.state == .running)
        #expect(try connection.query("SELECT count(*) FROM sealpress.outputs")[0].int(0) == 0)
    }

    /// The worker's fetch cycle: fail, complete (with fenced usage rows), claim and fold in one transaction.
    @Test func aFetchCycleWritesEverythingOnceAndFoldsTheBatch() throws {
        let fixture = try claimed(3, of: 4, batch: "cycle")
        let (connection, queue, worker) = (fixture.connection, fixture.queue, fixture.worker)
        defer { connection.close() }
        let jobs = fixture.jobs
        let stale = JobCompletion(jobID: jobs[0].id, attempt: jobs[0].attempt + 1, output: Data("stale".utf8),
                                  fencedStatements: [usageStatement(job: jobs[0].id)])
        let good = JobCompletion(jobID: jobs[1].id, attempt: jobs[1].attempt, output: Data("signed".utf8),
                                 reportJSON: #"{"verdict": "passed"}"#, fencedStatements: [usageStatement(job: jobs[1].id)])
        let failure = JobFailureRecord(jobID: jobs[2].id, attempt: jobs[2].attempt, code: .sealRefused, reason: "refused",
                                       discard: true)
        let written = try queue.writeResults(
            completions: [stale, good], failures: [failure], worker: worker, claimLimit: 5, queues: nil)
        #expect(written.completed == [jobs[1].id])
        #expect(written.failed == [jobs[2].id: .discarded])
        // The failure's code has its own column and is in the errors entry.
        let failed = try #require(try queue.job(id: jobs[2].id))
        #expect(failed.lastErrorCode == .sealRefused && failed.errorsJSON.contains("\"code\": \"sealRefused\""))
        #expect(written.claimed.map(\.id) == [jobs.map(\.id).max()! + 1])
        #expect(!connection.isInTransaction)
        // The stale completion wrote nothing; the accepted one its output, report and usage row.
        let usage = try connection.query("SELECT job_id FROM sealpress.usage_log").map { Int64(try $0.int(0)) }
        #expect(usage == [jobs[1].id])
        let output = try connection.query("SELECT convert_from(bytes, 'UTF8'), report ->> 'verdict' FROM sealpress.outputs")
        #expect(output.count == 1)
        #expect(try output[0].string(0) == "signed" && output[0].string(1) == "passed")
        // The fold ran in the same transaction: the batch row itself is up to date, nothing left to fold.
        let batch = try connection.query("SELECT total, completed, discarded FROM sealpress.batches WHERE label = 'cycle'")[0]
        #expect(try batch.int(0) == 4 && batch.int(1) == 1 && batch.int(2) == 1)
        #expect(try connection.query("SELECT count(*) FROM sealpress.batch_deltas")[0].int(0) == 0)
        // Writing the same results again changes nothing (the fence), and still claims.
        let again = try queue.writeResults(completions: [good], failures: [failure], worker: worker, claimLimit: 1, queues: nil)
        #expect(again.completed.isEmpty && again.failed.isEmpty && again.claimed.isEmpty)
        #expect(try connection.query("SELECT count(*) FROM sealpress.usage_log")[0].int(0) == 1)
    }

    @Test func aFailingFencedStatementInACycleWritesNothing() throws {
        let fixture = try claimed(2, of: 3, batch: "broken-cycle")
        let (connection, queue, worker) = (fixture.connection, fixture.queue, fixture.worker)
        defer { connection.close() }
        let jobs = fixture.jobs
        let broken = FencedStatement(sql: "INSERT INTO sealpress.usage_log (sequence) VALUES (1)")
        let failure = JobFailureRecord(jobID: jobs[1].id, attempt: jobs[1].attempt, code: .malformedInput, reason: "x",
                                       discard: true)
        #expect(throws: (any Error).self) {
            try queue.writeResults(
                completions: [JobCompletion(jobID: jobs[0].id, attempt: jobs[0].attempt, output: Data("x".utf8),
                                            fencedStatements: [broken])],
                failures: [failure], worker: worker, claimLimit: 1, queues: nil)
        }
        // Rolled back as a whole: both jobs still running, nothing claimed, no output, the session usable.
        #expect(!connection.isInTransaction)
        #expect(try queue.job(id: jobs[0].id)?.state == .running)
        #expect(try queue.job(id: jobs[1].id)?.state == .running)
        #expect(try connection.query("SELECT count(*) FROM sealpress.jobs WHERE state = 'running'")[0].int(0) == 2)
        #expect(try connection.query("SELECT count(*) FROM sealpress.outputs")[0].int(0) == 0)
    }

    /// Inside a caller's transaction the fenced statements still run (in a savepoint), and commit with it.
    @Test func fencedStatementsRunInsideTheCallersTransactionToo() throws {
        let fixture = try claimed(2, of: 2)
        let (connection, queue, worker) = (fixture.connection, fixture.queue, fixture.worker)
        defer { connection.close() }
        let jobs = fixture.jobs
        try connection.transaction { _ in
            let written = try queue.writeResults(
                completions: [JobCompletion(jobID: jobs[0].id, attempt: jobs[0].attempt, output: Data("x".utf8),
                                            fencedStatements: [usageStatement(job: jobs[0].id)])],
                failures: [], worker: worker, claimLimit: 0, queues: nil)
            #expect(written.completed == [jobs[0].id])
        }
        #expect(try connection.query("SELECT job_id FROM sealpress.usage_log").map { Int64(try $0.int(0)) } == [jobs[0].id])
        // A caller that rolls back takes the usage row with it.
        try? connection.transaction { _ in
            _ = try queue.writeResults(completions: [JobCompletion(jobID: jobs[1].id, attempt: jobs[1].attempt,
                                                                   fencedStatements: [usageStatement(job: jobs[1].id)])],
                                       worker: worker)
            throw CancellationError()
        }
        #expect(try connection.query("SELECT count(*) FROM sealpress.usage_log")[0].int(0) == 1)
        #expect(try queue.job(id: jobs[1].id)?.state == .running)
    }
}
