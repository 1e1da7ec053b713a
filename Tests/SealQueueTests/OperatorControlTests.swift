import Foundation
import Postgres
import SealQueue
import Testing

/// Pauses (queue and pipeline) and retrying a discarded job (migration 5).
@Suite struct OperatorControlTests {
    @Test func aPausedQueueOrPipelineIsNotClaimedUntilResumed() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        let worker = UUID()
        let onMail = try queue.enqueue(NewJob(kind: "noop", queue: "mail")).id
        let onPipeline = try queue.enqueue(NewJob(kind: "noop", argsJSON: #"{"pipeline": "licences"}"#)).id
        let other = try queue.enqueue(NewJob(kind: "noop")).id
        #expect(try queue.pause(.queue, name: "mail", by: "test"))
        #expect(try !queue.pause(.queue, name: "mail", by: "test"))
        #expect(try queue.pause(.pipeline, name: "licences", by: "test"))
        #expect(try queue.claim(limit: 10, worker: worker, queues: nil).map(\.id) == [other])
        #expect(try queue.claim(limit: 10, worker: worker, queues: ["mail"]).isEmpty)
        #expect(try queue.pauses().map(\.name) == ["licences", "mail"])
        #expect(try queue.resume(.queue, name: "mail"))
        #expect(try queue.claim(limit: 10, worker: worker, queues: nil).map(\.id) == [onMail])
        #expect(try queue.resume(.pipeline, name: "licences"))
        #expect(try !queue.resume(.pipeline, name: "licences"))
        #expect(try queue.claim(limit: 10, worker: worker, queues: nil).map(\.id) == [onPipeline])
    }

    @Test func retryMakesOnlyADiscardedJobAvailableAgain() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        let id = try queue.enqueue(NewJob(kind: "noop", maxAttempts: 1, batchLabel: "b")).id
        let live = try queue.enqueue(NewJob(kind: "noop")).id
        try connection.execute(
            "UPDATE sealpress.jobs SET state = 'discarded', attempt = 1, finalized_at = now() WHERE id = \(id)")
        _ = try connection.query("SELECT sealpress.fold_batch_deltas()")
        #expect(try queue.retry(jobID: id) == .discarded)
        let job = try #require(try queue.job(id: id))
        #expect(job.state == .available)
        #expect(job.maxAttempts == 2)
        #expect(job.finalizedAt == nil)
        _ = try connection.query("SELECT sealpress.fold_batch_deltas()")
        let row = try connection.query("SELECT discarded, finished_at FROM sealpress.batches WHERE label = 'b'")[0]
        #expect(try row.int(0) == 0)
        #expect(row.isNull(1))
        #expect(try queue.retry(jobID: live) == .available)
        #expect(try queue.retry(jobID: 999_999) == nil)
    }
}
