import Foundation
import Postgres
import SealQueue
import SealTestSupport
import Testing

/// A completion may carry its whole output's SHA-256 (queue migration 8): the server stores it for an output kept as
/// an extension of its input without reading the input back, checks what it cheaply can (the input's length; a whole
/// output's hash, which it computes anyway), and `sealpress export` re-hashes every output it writes.
@Suite struct OutputHashTests {
    private struct Fixture {
        let url: String
        let connection: PGConnection
        let queue: JobQueue
        let worker = UUID()
        let input = Data((0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) })
        let appended = Data("\n%% an incremental update\n".utf8)

        init() throws {
            url = try QueueTestSupport.freshDatabase()
            connection = try PGConnection(url)
            queue = JobQueue(connection: connection)
            try queue.register(WorkerRegistration(
                id: worker, name: "hash", host: "h", pid: 1, concurrency: 1, queues: nil, kinds: ["noop"]))
        }

        func claim() throws -> ClaimedJob {
            _ = try queue.enqueue(NewJob(kind: "noop", batchLabel: "hashes", document: input, documentName: "in.pdf"))
            return try #require(try queue.claim(limit: 1, worker: worker, queues: nil).first)
        }

        func sha256(_ data: Data) throws -> [UInt8] {
            try connection.query("SELECT sha256($1::bytea)", [.bytea(data)])[0].bytes(0)
        }

        /// The export's exit status, stderr, and the files it wrote besides its summaries.
        func export() throws -> (status: Int32, stderr: String, outputs: [String], summary: String) {
            let directory = try TestEnvironment.temporaryDirectory("sealpress-export-hash")
            defer { try? FileManager.default.removeItem(at: directory) }
            let out = directory.appendingPathComponent("out")
            let run = try TestEnvironment.run(try QueueTestSupport.sealpressBinary(), [
                "export", "--database-url", url, "--batch", "hashes", "--out", out.path,
            ])
            let files = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            let summary = (try? String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8)) ?? ""
            return (run.status, run.stderr, files.filter { $0.hasSuffix(".pdf") || $0.hasSuffix(".bin") }, summary)
        }
    }

    private static func sqlState(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as PGError {
            return error.sqlState ?? "no SQLSTATE"
        } catch {
            return "\(error)"
        }
    }

    @Test func theWorkersHashIsStoredWithoutReadingTheInputBack() throws {
        let f = try Fixture()
        defer { f.connection.close() }
        let job = try f.claim()
        let hash = try f.sha256(f.input + f.appended)
        // Replace the stored input by other bytes of the same length: a server that read the input back to hash the
        // output would now store sha256(other || appended); one that takes the worker's hash stores `hash`.
        _ = try f.connection.query("""
            UPDATE sealpress.documents SET content = decode(repeat('ab', size_bytes::int), 'hex')
             WHERE id = (SELECT document_id FROM sealpress.jobs WHERE id = $1)
            """, [.int64(job.id)])
        let completion = JobCompletion.appended(
            jobID: job.id, attempt: job.attempt, appended: f.appended, inputLength: f.input.count, outputSHA256: hash)
        #expect(try f.queue.writeResults(completions: [completion], worker: f.worker).completed == [job.id])
        let row = try f.connection.query("""
            SELECT o.sha256, o.extends_input, octet_length(o.bytes), o.sha256 = sha256(sealpress.output_bytes(o.job_id))
              FROM sealpress.outputs o WHERE o.job_id = $1
            """, [.int64(job.id)])[0]
        #expect(try row.bytes(0) == hash)
        #expect(try row.bool(1) && row.int(2) == f.appended.count)
        // The stored bytes no longer hash to what was recorded: visible in SQL, and export refuses the output.
        #expect(try row.bool(3) == false)
        let export = try f.export()
        #expect(export.status != 0)
        #expect(export.stderr.contains("does not match the SHA-256 recorded"), "\(export.stderr)")
        #expect(export.outputs.isEmpty)
    }

    @Test func aWrongHashSentWithAnExtensionIsCaughtByExport() throws {
        let f = try Fixture()
        defer { f.connection.close() }
        let job = try f.claim()
        // A 32-byte hash that is not the output's: the server cannot tell without hashing the input (the cost this
        // path removes), so it is stored — and every reader that re-hashes finds it.
        let wrong = [UInt8](repeating: 0x5a, count: 32)
        let completion = JobCompletion.appended(
            jobID: job.id, attempt: job.attempt, appended: f.appended, inputLength: f.input.count, outputSHA256: wrong)
        #expect(try f.queue.writeResults(completions: [completion], worker: f.worker).completed == [job.id])
        #expect(try f.connection.query(
            "SELECT sha256 = sha256(sealpress.output_bytes(job_id)) FROM sealpress.outputs WHERE job_id = $1",
            [.int64(job.id)])[0].bool(0) == false)
        // A second job of the batch with the right hash is still exported, and the summary names the bad one.
        let good = try f.claim()
        #expect(try f.queue.writeResults(completions: [JobCompletion.appended(
            jobID: good.id, attempt: good.attempt, appended: f.appended, inputLength: f.input.count,
            outputSHA256: try f.sha256(f.input + f.appended))], worker: f.worker).completed == [good.id])
        let export = try f.export()
        #expect(export.status == 1)
        #expect(export.stderr.contains("job \(job.id): the stored output does not match"), "\(export.stderr)")
        #expect(export.outputs.count == 1)
        #expect(export.summary.contains("\(job.id),noop,in.pdf,completed,not exported,,"), "\(export.summary)")
        #expect(export.summary.contains(",outputHashMismatch\n"), "\(export.summary)")
    }

    @Test func theRightHashExportsTheWholeOutput() throws {
        let f = try Fixture()
        defer { f.connection.close() }
        let job = try f.claim()
        let completion = JobCompletion.appended(
            jobID: job.id, attempt: job.attempt, appended: f.appended, inputLength: f.input.count,
            outputSHA256: try f.sha256(f.input + f.appended))
        #expect(try f.queue.writeResults(completions: [completion], worker: f.worker).completed == [job.id])
        let export = try f.export()
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.outputs.count == 1)
    }

    @Test func hashesTheServerCanCheckAreRefused() throws {
        let f = try Fixture()
        defer { f.connection.close() }
        let job = try f.claim()
        let whole = f.input + f.appended
        // An extension with a hash that is not 32 bytes long.
        let short = JobCompletion.appended(
            jobID: job.id, attempt: job.attempt, appended: f.appended, inputLength: f.input.count,
            outputSHA256: [UInt8](repeating: 1, count: 31))
        #expect(Self.sqlState { _ = try f.queue.writeResults(completions: [short], worker: f.worker) } == "SP003")
        // An extension of an input of another length, with a well-formed hash.
        let longer = JobCompletion.appended(
            jobID: job.id, attempt: job.attempt, appended: f.appended, inputLength: f.input.count + 1,
            outputSHA256: try f.sha256(whole))
        #expect(Self.sqlState { _ = try f.queue.writeResults(completions: [longer], worker: f.worker) } == "SP003")
        // A whole output (hashed by the server anyway) with a hash that is not its own.
        var wrongWhole = JobCompletion(jobID: job.id, attempt: job.attempt, output: whole)
        wrongWhole.outputSHA256 = try f.sha256(f.input)
        #expect(Self.sqlState { _ = try f.queue.writeResults(completions: [wrongWhole], worker: f.worker) } == "SP003")
        // All or nothing: the job still runs and nothing was written.
        #expect(try f.queue.job(id: job.id)?.state == .running)
        #expect(try f.connection.query("SELECT count(*) FROM sealpress.outputs")[0].int(0) == 0)
        // The same whole output with its own hash is accepted.
        var rightWhole = wrongWhole
        rightWhole.outputSHA256 = try f.sha256(whole)
        #expect(try f.queue.writeResults(completions: [rightWhole], worker: f.worker).completed == [job.id])
        #expect(try f.connection.query("SELECT sha256 FROM sealpress.outputs WHERE job_id = $1",
                                        [.int64(job.id)])[0].bytes(0) == rightWhole.outputSHA256)
    }
}
