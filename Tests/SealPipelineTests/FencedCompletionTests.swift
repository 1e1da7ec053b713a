import Foundation
import Postgres
import SealPipeline
import SealQueue
import Testing

/// The queue's completion with fenced extra statements: usage rows are written with the completion, in its
/// transaction, and only when the fence holds.
@Suite struct FencedCompletionTests {
    func usageStatement(job: Int64) -> FencedStatement {
        let record = UsageRecord(
            sequence: 0, jobID: job, principal: "p", seal: "s", esID: "e", certificateSerial: "01", format: "pdf/pades-b-b",
            documentBefore: String(repeating: "a", count: 64), documentAfter: String(repeating: "b", count: 64),
            signedAt: Date(), timestampTokenHash: nil, host: "h", previousHash: "")
        return FencedStatement(sql: UsageLog.insertSQL, parameters: UsageLog.insertParameters(record))
    }

    @Test func statementsRunOnlyForCompletionsWhoseFenceHolds() throws {
        let url = try PipelineDatabase.fresh(prefix: "fence")
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        let worker = UUID()
        _ = try queue.enqueueMany(kind: "noop", argsJSON: ["{}", "{}"])
        try queue.register(WorkerRegistration(id: worker, name: "t", host: "h", pid: 1, concurrency: 1, queues: nil, kinds: ["noop"]))
        let jobs = try queue.claim(limit: 2, worker: worker, queues: nil)
        #expect(jobs.count == 2)
        let stale = JobCompletion(jobID: jobs[0].id, attempt: jobs[0].attempt + 1, fencedStatements: [usageStatement(job: jobs[0].id)])
        let good = JobCompletion(jobID: jobs[1].id, attempt: jobs[1].attempt, output: Data("x".utf8),
                                 fencedStatements: [usageStatement(job: jobs[1].id), usageStatement(job: jobs[1].id)])
        let accepted = try queue.complete([stale, good], worker: worker)
        #expect(accepted == [jobs[1].id])
        let rows = try connection.query("SELECT job_id FROM sealpress.usage_log ORDER BY sequence").map { Int64(try $0.int(0)) }
        #expect(rows == [jobs[1].id, jobs[1].id])
        // The fence keeps holding afterwards: completing again writes nothing more.
        #expect(try queue.complete([good], worker: worker).isEmpty)
        #expect(try connection.query("SELECT count(*) FROM sealpress.usage_log")[0].int(0) == 2)
        // The combined complete-and-claim path honours them too.
        let next = try queue.completeAndClaim(
            [JobCompletion(jobID: jobs[0].id, attempt: jobs[0].attempt, fencedStatements: [usageStatement(job: jobs[0].id)])],
            worker: worker, limit: 1, queues: nil)
        #expect(next.completed == [jobs[0].id])
        #expect(try connection.query("SELECT count(*) FROM sealpress.usage_log")[0].int(0) == 3)
    }

    @Test func aFailingStatementRollsTheCompletionBack() throws {
        let url = try PipelineDatabase.fresh(prefix: "fence")
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        let worker = UUID()
        _ = try queue.enqueueMany(kind: "noop", argsJSON: ["{}"])
        try queue.register(WorkerRegistration(id: worker, name: "t", host: "h", pid: 1, concurrency: 1, queues: nil, kinds: ["noop"]))
        let job = try #require(try queue.claim(limit: 1, worker: worker, queues: nil).first)
        let broken = FencedStatement(sql: "INSERT INTO sealpress.usage_log (sequence) VALUES (1)")  // NOT NULL violations
        #expect(throws: (any Error).self) {
            try queue.complete([JobCompletion(jobID: job.id, attempt: job.attempt, output: Data("x".utf8),
                                              fencedStatements: [broken])], worker: worker)
        }
        #expect(try queue.job(id: job.id)?.state == .running)
        #expect(try connection.query("SELECT count(*) FROM sealpress.outputs")[0].int(0) == 0)
    }
}
