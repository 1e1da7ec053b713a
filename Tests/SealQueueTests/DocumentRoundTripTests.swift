import Foundation
import Postgres
import SealQueue
import SealTestSupport
import Testing

/// Documents given to `sealpress enqueue FILE…` reach the handler and the output comes back byte for byte.
@Suite struct DocumentRoundTripTests {
    @Test func enqueuedFilesReachTheWorkerAndOutputsComeBack() throws {
        let url = try QueueTestSupport.freshDatabase()
        let directory = try TestEnvironment.temporaryDirectory("sealpress-docs")
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [URL] = []
        for index in 0..<3 {
            let file = directory.appendingPathComponent("doc\(index).pdf")
            try Data((0..<(50_000 + index)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }).write(to: file)
            files.append(file)
        }
        let enqueue = try TestEnvironment.run(try QueueTestSupport.sealpressBinary(), [
            "enqueue", "--database-url", url, "--kind", "noop", "--args", "{\"echo_document\": true}", "--batch", "docs",
        ] + files.map(\.path))
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        let worker = try WorkerProcess(url: url, ["--exit-when-idle", "--concurrency", "2"] + QueueTestSupport.fastWorkerArguments)
        #expect(worker.wait(timeout: 30) == 0, "\(worker.log)")
        let connection = try PGConnection(url)
        let rows = try connection.query("""
            SELECT d.name, d.content_type, sealpress.output_bytes(j.id), o.sha256 = d.sha256,
                   o.extends_input, octet_length(o.bytes)
              FROM sealpress.jobs j JOIN sealpress.documents d ON d.id = j.document_id
              JOIN sealpress.outputs o ON o.job_id = j.id ORDER BY d.name
            """)
        #expect(rows.count == 3)
        for (row, file) in zip(rows, files) {
            #expect(try row.string(0) == file.lastPathComponent && row.string(1) == "application/pdf")
            #expect(try row.bytes(2) == [UInt8](try Data(contentsOf: file)))
            #expect(try row.bool(3))
            // The echo starts with (is) the whole input: only the bytes after it, none, are stored.
            #expect(try row.bool(4) && row.int(5) == 0)
        }
    }
}

/// Outputs that extend their input (a PDF's incremental update) are sent and stored as the appended bytes only
/// (queue migration 6); `sealpress.output_bytes` gives the whole output back and `sha256` covers all of it.
@Suite struct OutputExtensionTests {
    private static func claimedJob(_ queue: JobQueue, worker: UUID, document: Data) throws -> ClaimedJob {
        _ = try queue.enqueue(NewJob(kind: "noop", argsJSON: "{}", document: document, documentName: "in.pdf"))
        return try #require(try queue.claim(limit: 1, worker: worker, queues: nil).first)
    }

    @Test func anOutputExtendingItsInputStoresOnlyTheAppendedBytes() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        let worker = UUID()
        try queue.register(WorkerRegistration(id: worker, name: "ext", host: "h", pid: 1, concurrency: 1, queues: nil, kinds: ["noop"]))
        let input = Data((0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let job = try Self.claimedJob(queue, worker: worker, document: input)
        let output = input + Data("%% incremental update".utf8)
        let completion = JobCompletion(jobID: job.id, attempt: job.attempt, output: output).extending(input: job.document?.content)
        #expect(completion.inputPrefixLength == input.count)
        #expect(try queue.writeResults(completions: [completion], worker: worker).completed == [job.id])
        let row = try connection.query("""
            SELECT o.extends_input, octet_length(o.bytes), sealpress.output_bytes(o.job_id), o.sha256 = sha256(sealpress.output_bytes(o.job_id))
              FROM sealpress.outputs o WHERE o.job_id = $1
            """, [.int64(job.id)])[0]
        #expect(try row.bool(0))
        #expect(try row.int(1) == output.count - input.count)
        #expect(try row.bytes(2) == [UInt8](output))
        #expect(try row.bool(3))
    }

    @Test func anOutputThatDoesNotStartWithItsInputIsStoredWhole() throws {
        let input = Data("%PDF-1.7 original".utf8)
        let changed = Data("%PDF-1.7 0riginal plus more".utf8)
        let completion = JobCompletion(jobID: 1, attempt: 1, output: changed).extending(input: input)
        #expect(completion.inputPrefixLength == 0)
        #expect(JobCompletion(jobID: 1, attempt: 1, output: Data("%PDF".utf8)).extending(input: input).inputPrefixLength == 0)
        #expect(JobCompletion(jobID: 1, attempt: 1, reportJSON: "{}").extending(input: input).inputPrefixLength == 0)
    }

    @Test func anExtensionOfAnInputTheJobDoesNotHaveIsRefused() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        let worker = UUID()
        try queue.register(WorkerRegistration(id: worker, name: "ext", host: "h", pid: 1, concurrency: 1, queues: nil, kinds: ["noop"]))
        let job = try Self.claimedJob(queue, worker: worker, document: Data(repeating: 1, count: 100))
        var completion = JobCompletion(jobID: job.id, attempt: job.attempt, output: Data(repeating: 1, count: 150))
        completion.inputPrefixLength = 120  // longer than the job's input: not an extension of it
        #expect(throws: (any Error).self) { try queue.writeResults(completions: [completion], worker: worker) }
        // All or nothing: the job is still running and nothing was written.
        #expect(try queue.job(id: job.id)?.state == .running)
        #expect(try connection.query("SELECT count(*) FROM sealpress.outputs")[0].int(0) == 0)
    }
}
