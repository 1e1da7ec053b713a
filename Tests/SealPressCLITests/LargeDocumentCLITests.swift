import Foundation
import Postgres
import SealPipeline
import SealTestSupport
import Testing

/// A 200 MB PDF through the queue as a user runs it — `enqueue`, a real `sealpress worker`, `export` — with the
/// worker's peak resident memory under 2.5 × the file's size (issue 15 item 5). A functional check, not a benchmark:
/// no timing is asserted; the figures are in Docs/benchmarks.md ("A 200 MB document through the queue").
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct LargeDocumentCLITests {
    /// The generated image's samples: the file is this plus about a kilobyte of structure.
    static let imageBytes = 200_000_000

    @Test func aLargePDFGoesThroughTheQueueWithTheWorkerBelowTwoAndAHalfTimesItsSize() throws {
        let world = try CLIWorld.require()
        let folder = try TestEnvironment.temporaryDirectory("sealpress-large")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A private cluster: its 200 MB of documents and WAL go away with it at the end of the test.
        let cluster = try TestPostgres.shared.makeCluster()
        let database = ["--database-url", cluster.url]
        #expect(try world.run(["migrate"] + database).status == 0)

        let documents = folder.appendingPathComponent("documents")
        try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
        let input = documents.appendingPathComponent("large.pdf")
        try SampleDocuments.writeLargePDF(path: input.path, imageBytes: Self.imageBytes)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int)
        #expect(size > Self.imageBytes)
        if TestEnvironment.peerAvailable("qpdf", TestEnvironment.executable("qpdf") != nil),
            let qpdf = TestEnvironment.executable("qpdf")
        {
            let check = try TestEnvironment.run(qpdf, ["--check", input.path])
            #expect(check.status == 0, "qpdf --check of the generated input: \(check.stdout) \(check.stderr)")
        }

        // A registered seal with a grant, and a pipeline that verifies what it signed.
        let keyRef = "file:\(world.path("pki/sm2-signer.key.pem"))?cert=\(world.path("pki/sm2-signer.cert.pem"))"
        #expect(try world.run(["seal", "register", "--name", "large-seal", "--esl", world.path("seal.esl"), "--key-ref", keyRef,
                               "--owner", "测试局"] + database).status == 0)
        #expect(try world.run(["seal", "grant", "large-seal", "--principal", "office", "--from", "2020-01-01", "--to", "2040-12-31"]
            + database).status == 0)
        let pipelines = try world.writePipeline("large", seal: "large-seal", in: folder)

        let enqueued = try world.run(["enqueue", "stamp", "--pipeline", "large", "--principal", "office", "--batch", "large",
                                      "--pipelines", pipelines.path, documents.path] + database)
        #expect(enqueued.status == 0, "\(enqueued.stderr)")

        // The worker runs until the job is finished; its peak (VmHWM) is read while it still runs, then it is stopped.
        let log = folder.appendingPathComponent("worker.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let worker = Process()
        worker.executableURL = world.binary
        worker.arguments = ["worker", "--pipelines", pipelines.path, "--concurrency", "2", "--trust", world.roots,
                            "--poll-seconds", "0.2", "--log-level", "notice"] + database
        worker.standardOutput = handle
        worker.standardError = handle
        try worker.run()
        defer { if worker.isRunning { worker.terminate() } }
        let connection = try PGConnection(cluster.url)
        defer { connection.close() }
        var state = ""
        for _ in 0..<1200 {
            guard worker.isRunning else { break }
            state = try connection.query("SELECT state::text FROM sealpress.jobs LIMIT 1").first?.string(0) ?? ""
            if state == "completed" || state == "discarded" || state == "retryable" { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let peakKB = Self.statusField("VmHWM", pid: worker.processIdentifier)
        worker.terminate()
        worker.waitUntilExit()
        let workerLog = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
        #expect(state == "completed", "job state \(state); worker log: \(workerLog.suffix(2000))")
        let peak = try #require(peakKB, "no VmHWM for the worker; job state \(state); log: \(workerLog.suffix(2000))") * 1024
        let ratio = Double(peak) / Double(size)
        // Recorded for Docs/benchmarks.md; the issue's bound is the assertion.
        print(String(format: "large document: %d bytes, worker peak RSS (VmHWM) %.1f MB = %.2f × the file", size,
                     Double(peak) / 1e6, ratio))
        #expect(ratio < 2.5, "the worker peaked at \(peak) bytes for a \(size) byte document (\(ratio) ×)")

        // Stored as the bytes after the input (migration 6), and exported whole.
        let stored = try connection.query(
            "SELECT o.extends_input, octet_length(o.bytes)::int8 FROM sealpress.outputs o")
        #expect(try stored.first?.bool(0) == true)
        #expect(try (stored.first?.int(1) ?? Int.max) < 1_000_000)
        let exported = folder.appendingPathComponent("export")
        let export = try world.run(["export", "--batch", "large", "--out", exported.path] + database)
        #expect(export.status == 0, "\(export.stderr)")
        let output = exported.appendingPathComponent("large-signed.pdf")
        let outputSize = (try? FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int) ?? 0
        #expect(outputSize > size)
        #expect(try Self.startsWith(output, input), "the exported output does not begin with the input's bytes")
        let verified = try world.run(["verify", output.path, "--trust", world.roots])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        if TestEnvironment.peerAvailable("qpdf", TestEnvironment.executable("qpdf") != nil),
            let qpdf = TestEnvironment.executable("qpdf")
        {
            let check = try TestEnvironment.run(qpdf, ["--check", output.path])
            #expect(check.status == 0, "qpdf --check of the signed output: \(check.stdout) \(check.stderr)")
        }
    }

    /// A `kB` field of /proc/PID/status, or nil.
    static func statusField(_ name: String, pid: Int32) -> Int? {
        // Data(contentsOf:) reads to the end: /proc files report a size of 0.
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/status")) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return Int(line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    /// True when file `url` begins with all of `prefix`'s bytes (compared in pieces: neither is read whole).
    static func startsWith(_ url: URL, _ prefix: URL) throws -> Bool {
        let a = try FileHandle(forReadingFrom: url)
        defer { try? a.close() }
        let b = try FileHandle(forReadingFrom: prefix)
        defer { try? b.close() }
        while true {
            let expected = b.readData(ofLength: 8 << 20)
            if expected.isEmpty { return true }
            guard a.readData(ofLength: expected.count) == expected else { return false }
        }
    }
}
