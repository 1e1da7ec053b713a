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
            SELECT d.name, d.content_type, o.bytes, o.sha256 = d.sha256
              FROM sealpress.jobs j JOIN sealpress.documents d ON d.id = j.document_id
              JOIN sealpress.outputs o ON o.job_id = j.id ORDER BY d.name
            """)
        #expect(rows.count == 3)
        for (row, file) in zip(rows, files) {
            #expect(try row.string(0) == file.lastPathComponent && row.string(1) == "application/pdf")
            #expect(try row.bytes(2) == [UInt8](try Data(contentsOf: file)))
            #expect(try row.bool(3))
        }
    }
}
