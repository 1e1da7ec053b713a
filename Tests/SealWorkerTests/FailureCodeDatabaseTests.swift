import Foundation
import Postgres
import SealQueue
import SealTestSupport
import SealWorker
import Testing

/// A failure's code travels from the handler to its own column, and from there to `status --json` and `export`'s
/// `summary.csv`; the worker's retry decision follows it.
@Suite(.serialized) struct FailureCodeDatabaseTests {
    @Test func theStoredCodeDecidesAndIsShownByStatusAndExport() throws {
        let url = try WorkerTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        // A permanent code: discarded after one attempt though attempts remain.
        let refused = try queue.enqueue(NewJob(
            kind: "noop", argsJSON: #"{"fail_times": 99, "fail_code": "sealRefused"}"#, maxAttempts: 5, batchLabel: "codes"))
        // A transient code: retried (here far in the future, so it stays retryable).
        let database = try queue.enqueue(NewJob(
            kind: "noop", argsJSON: #"{"fail_times": 99, "fail_code": "tsaUnavailable", "retry_after_ms": 3600000}"#,
            maxAttempts: 5, batchLabel: "codes"))
        let fine = try queue.enqueue(NewJob(kind: "noop", batchLabel: "codes"))
        let summary = try WorkerTestSupport.runUntilIdle(url: url, idleWaitSeconds: 1)
        #expect(summary.completed == 1 && summary.failed == 2)

        let refusedRecord = try #require(try queue.job(id: refused.id))
        #expect(refusedRecord.state == .discarded && refusedRecord.attempt == 1)
        #expect(refusedRecord.lastErrorCode == .sealRefused)
        #expect(refusedRecord.errorsJSON.contains(#""code": "sealRefused""#))
        let retried = try #require(try queue.job(id: database.id))
        #expect(retried.state == .retryable && retried.lastErrorCode == .tsaUnavailable)
        #expect(try queue.job(id: fine.id)?.state == .completed)
        #expect(try queue.job(id: fine.id)?.lastErrorCode == nil)

        // status --json: the failing jobs by state and code, for the queue and for the batch.
        let status = try WorkerTestSupport.sealpress(["status", "--database-url", url, "--batch", "codes", "--json"])
        #expect(status.status == 0, "\(status.output)")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(QueueStatus.self, from: Data(status.output.utf8))
        let expected = [
            QueueStatus.FailureCount(state: "discarded", code: "sealRefused", count: 1),
            QueueStatus.FailureCount(state: "retryable", code: "tsaUnavailable", count: 1),
        ]
        #expect(decoded.failures == expected)
        #expect(decoded.batch?.failures == expected)
        let text = try WorkerTestSupport.sealpress(["status", "--database-url", url])
        #expect(text.output.contains("sealRefused 1 (discarded)"), "\(text.output)")

        // export: summary.csv has the code column.
        let directory = try TestEnvironment.temporaryDirectory("sealpress-export")
        defer { try? FileManager.default.removeItem(at: directory) }
        let export = try WorkerTestSupport.sealpress(["export", "--database-url", url, "--batch", "codes", "--out", directory.path])
        #expect(export.status == 1, "not every job completed: \(export.output)")
        let csv = try String(contentsOf: directory.appendingPathComponent("summary.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.first == "job,kind,file,state,verdict,output,report,error,code")
        #expect(lines.contains { $0.hasPrefix("\(refused.id),noop,") && $0.hasSuffix(",sealRefused") }, "\(csv)")
        #expect(lines.contains { $0.hasPrefix("\(database.id),noop,") && $0.hasSuffix(",tsaUnavailable") }, "\(csv)")
        #expect(lines.contains { $0.hasPrefix("\(fine.id),noop,job-\(fine.id),completed,") && $0.hasSuffix(",") }, "\(csv)")
    }

    /// `--exit-when-idle` waits for a retry due soon and runs it, instead of exiting while it remains.
    @Test func exitWhenIdleWaitsForARetryDueSoon() throws {
        let url = try WorkerTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        let job = try queue.enqueue(NewJob(
            kind: "noop", argsJSON: #"{"fail_times": 1, "fail_code": "database", "retry_after_ms": 1500}"#, maxAttempts: 3))
        let summary = try WorkerTestSupport.runUntilIdle(url: url)
        #expect(summary.failed == 1 && summary.completed == 1)
        let record = try #require(try queue.job(id: job.id))
        #expect(record.state == .completed && record.attempt == 2 && record.lastErrorCode == .database)
    }
}
