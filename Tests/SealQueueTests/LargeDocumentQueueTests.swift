import Foundation
import Postgres
import SealQueue
import SealTestSupport
import Testing

/// Documents larger than `JobQueue.inlineDocumentBytes` move in pieces: sent in pieces by the producer, left out of
/// the claim and read in pieces by the slot, their output handed over as the appended bytes and read back in pieces
/// (what keeps a worker at one copy of a 200 MB PDF: LargeDocumentCLITests).
@Suite struct LargeDocumentQueueTests {
    /// Just over the claim's inline limit, in two and a bit pieces.
    static let size = JobQueue.inlineDocumentBytes + JobQueue.documentPieceBytes + 12_345

    static func document() -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8](repeating: 0, count: size)
        for index in bytes.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return bytes
    }

    @Test func aLargeDocumentIsSentReadAndWrittenBackInPieces() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        let worker = UUID()
        try queue.register(WorkerRegistration(id: worker, name: "large", host: "h", pid: 1, concurrency: 1, queues: nil, kinds: ["noop"]))
        let input = Self.document()

        // Sent in pieces of 1 MiB: stored whole, with the SHA-256 of the whole.
        let enqueued = try queue.enqueue(NewJob(kind: "noop", argsJSON: "{}", batchLabel: "large", documentName: "large.pdf")) { send in
            for start in stride(from: 0, to: input.count, by: 1 << 20) {
                try send(Array(input[start..<min(start + (1 << 20), input.count)]))
            }
        }
        #expect(enqueued.outcome == .created)
        let stored = try connection.query(
            "SELECT size_bytes, sha256 = sha256(content) FROM sealpress.documents d JOIN sealpress.jobs j ON j.document_id = d.id WHERE j.id = $1",
            [.int64(enqueued.id)])[0]
        #expect(try stored.int(0) == input.count && stored.bool(1))

        // The claim leaves it out (its size only); the slot's read gets it whole, with the room asked for.
        let job = try #require(try queue.claim(limit: 1, worker: worker, queues: nil).first)
        #expect(job.document == nil)
        #expect(job.documentSize == input.count)
        let documentID = try #require(job.documentID)
        let read = try #require(try queue.documentBytes(id: documentID, spareCapacity: 1 << 20))
        #expect(read.bytes == input)
        #expect(read.bytes.capacity >= input.count + (1 << 20))
        #expect(read.name == "large.pdf" && read.sha256.count == 32)

        // The output handed over as the bytes after the input: only those are stored; read back whole, in pieces.
        let update = Array("\n% an incremental update\n%%EOF\n".utf8)
        let completion = JobCompletion.appended(
            jobID: job.id, attempt: job.attempt, appended: Data(update), inputLength: input.count)
        #expect(try queue.writeResults(completions: [completion], worker: worker).completed == [job.id])
        let output = try connection.query(
            "SELECT extends_input, octet_length(bytes), sha256 = sha256($2::bytea) FROM sealpress.outputs WHERE job_id = $1",
            [.int64(job.id), .bytea(input + update)])[0]
        #expect(try output.bool(0) && output.int(1) == update.count && output.bool(2))
        var pieces: [Int] = []
        var whole: [UInt8] = []
        #expect(try queue.readOutput(jobID: job.id) { piece in
            pieces.append(piece.count)
            whole += piece
        })
        #expect(whole == input + update)
        #expect(pieces.allSatisfy { $0 <= JobQueue.documentPieceBytes } && pieces.count == 4, "\(pieces)")
        // The batch page (export) leaves an output this large out, with its size; a job without one has nothing to read.
        let batch = try #require(try queue.batch(label: "large"))
        let page = try queue.batchResults(batchID: batch.id, afterID: 0)
        #expect(page.count == 1 && page.first?.output == nil && page.first?.outputSize == input.count + update.count)
        #expect(try queue.readOutput(jobID: job.id + 1_000) { _ in } == false)
    }

    @Test func anAppendedOutputForAnInputOfAnotherLengthIsRefused() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        let worker = UUID()
        try queue.register(WorkerRegistration(id: worker, name: "large", host: "h", pid: 1, concurrency: 1, queues: nil, kinds: ["noop"]))
        _ = try queue.enqueue(NewJob(kind: "noop", argsJSON: "{}", document: Data(repeating: 7, count: 1000)))
        let job = try #require(try queue.claim(limit: 1, worker: worker, queues: nil).first)
        #expect(job.document?.content.count == 1000 && job.documentSize == 1000)  // small: read by the claim
        let wrong = JobCompletion.appended(jobID: job.id, attempt: job.attempt, appended: Data([1, 2, 3]), inputLength: 999)
        #expect(throws: (any Error).self) { try queue.writeResults(completions: [wrong], worker: worker) }
        #expect(try queue.job(id: job.id)?.state == .running)
    }
}
