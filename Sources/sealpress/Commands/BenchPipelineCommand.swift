import ArgumentParser
import Foundation
import Postgres
import SealCrypto
import SealPipeline
import SealQueue
import SealWorker

/// `sealpress bench pipeline --docs N [--workers W] [--json]`: end-to-end documents per second, from the first
/// enqueue to the last signed output committed, with worker PROCESSES and PostgreSQL on this machine; beside
/// pyHanko's tuned single-process rate on the same document, key type and format.
struct BenchPipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Bench the stamping pipeline end to end (enqueue → signed, verified output in PostgreSQL).",
        discussion: """
            Starts a private PostgreSQL (durable, fsync on) unless --database-url is given, registers an RSA-2048 \
            seal, enqueues N stamp jobs (workers start after the first 100 and run while the rest is enqueued) of the document through a PAdES B-B pipeline (visible seal on the last page, \
            verify after signing unless --no-verify), runs W worker processes to completion, and reports docs/s. \
            With Benchmarks/pyhanko/bench_pyhanko_stamp.py and pyHanko installed, pyHanko's rate on the same \
            document is measured too, right before and right after our run (the mean of the two is the peer rate).
            """)

    @Option(help: "Documents to stamp.") var docs: Int = 500
    @Option(help: "Worker processes.") var workers: Int = 2
    @Option(help: "Job slots per worker (default: the worker's, 4 per core).") var concurrency: Int?
    @Option(help: "The PDF to stamp.") var pdf: String = "Tests/SealPDFTests/Fixtures/sign/bench-doc100k.pdf"
    @Option(help: "The seal picture (PNG).") var picture: String = "Tests/SealPipelineTests/Fixtures/seal-400.png"
    @Option(name: .customLong("database-url"), help: "Use this server instead of a private one.") var databaseURL: String?
    @Flag(help: "Do not verify outputs after signing.") var noVerify = false
    @Flag(help: "Skip the pyHanko comparison.") var noPyhanko = false
    @Option(help: "Seconds pyHanko signs for.") var pyhankoSeconds: Double = 5
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard docs >= 1, workers >= 1 else { throw ValidationError("--docs and --workers must be at least 1") }
        guard let document = FileManager.default.contents(atPath: pdf) else {
            throw CouldNotRun("cannot read \(pdf) (run from the repository root or pass --pdf)")
        }
        guard FileManager.default.fileExists(atPath: picture) else {
            throw CouldNotRun("cannot read \(picture) (run from the repository root or pass --picture)")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sealpress-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        var cluster: EmbeddedPostgres?
        defer { try? cluster?.destroy() }
        let url: String
        if let databaseURL {
            url = databaseURL
        } else {
            let embedded = EmbeddedPostgres(
                home: work.appendingPathComponent("pg"),
                configuration: EmbeddedPostgres.Configuration(durable: true, maxConnections: 100))
            cluster = embedded
            do { url = try embedded.start() } catch { throw CouldNotRun("cannot start PostgreSQL: \(error)") }
        }
        let connection = try PGConnection(url)
        defer { connection.close() }
        try Migrator.migrate(connection, migrations: PipelineSchema.allMigrations)

        // PKI, seal, registration, grant, pipeline.
        let pki = try DemoPKI.make()
        let pkiDirectory = work.appendingPathComponent("pki")
        try pki.write(to: pkiDirectory)
        let self_ = try Self.executable()
        let esl = work.appendingPathComponent("bench.esl").path
        let sealName = "bench-\(UUID().uuidString.prefix(6).lowercased())"
        try Self.run(self_, [
            "seal", "make", "--name", "性能测试章", "--type", "1", "--esid", "BENCH-\(sealName)", "--picture", picture,
            "--width-mm", "40", "--height-mm", "40", "--signer-cert", pkiDirectory.appendingPathComponent("rsa-signer.cert.pem").path,
            "--maker-key", pkiDirectory.appendingPathComponent("seal-maker.key.pem").path,
            "--maker-cert", pkiDirectory.appendingPathComponent("seal-maker.cert.pem").path,
            "--valid-from", "2025-01-01", "--valid-to", "2035-12-31", "--out", esl,
        ])
        let keyRef = "file:\(pkiDirectory.path)/rsa-signer.key.pem?cert=\(pkiDirectory.path)/rsa-signer.cert.pem"
        try Self.run(self_, ["seal", "register", "--name", sealName, "--esl", esl, "--key-ref", keyRef, "--owner", "bench", "--database-url", url])
        try Self.run(self_, ["seal", "grant", sealName, "--principal", "bench", "--to", "2035-12-31", "--database-url", url])
        let pipelines = work.appendingPathComponent("pipelines")
        try FileManager.default.createDirectory(at: pipelines, withIntermediateDirectories: true)
        try Data("""
            name: bench
            seal: \(sealName)
            placements:
              - page: last
                x_mm: 130
                y_mm: 30
                width_mm: 40
            formats:
              pdf: pades-b-b
            verify_after_signing: \(noVerify ? "false" : "true")
            """.utf8).write(to: pipelines.appendingPathComponent("bench.yaml"))
        let roots = pkiDirectory.appendingPathComponent("roots.pem").path
        // pyHanko runs right before and right after our run; its rate is the mean of the two, so a machine whose
        // speed drifts (a shared VM) moves both sides of the ratio alike.
        func measurePyHanko() -> Double? {
            noPyhanko ? nil : Self.pyHankoRate(
                document: pdf, key: pkiDirectory.appendingPathComponent("rsa-signer.key.pem").path,
                cert: pkiDirectory.appendingPathComponent("rsa-signer.cert.pem").path, picture: picture,
                seconds: pyhankoSeconds)
        }
        let pyhankoBefore = measurePyHanko()

        // Timed: enqueue (chunks of 100, one round trip and one transaction each), workers, until every job is completed.
        let batch = "bench-\(UUID().uuidString.prefix(8))"
        let started = Date()
        var offset = 0
        var processes: [Process] = []
        while offset < docs {
            let chunk = min(100, docs - offset)
            // As `sealpress enqueue stamp` does: one round trip and one transaction per chunk.
            try JobQueue(connection: connection).enqueue((0..<chunk).map { _ in
                NewJob(
                    kind: "stamp", argsJSON: #"{"pipeline": "bench", "principal": "bench"}"#, maxAttempts: 3,
                    batchLabel: batch, document: document, documentName: "bench.pdf")
            })
            offset += chunk
            // Workers start after the first chunk and run while the rest is enqueued; stopped (SIGTERM) at the end.
            if processes.isEmpty {
                processes = try (0..<workers).map { index -> Process in
                    var arguments = ["worker", "--database-url", url, "--pipelines", pipelines.path, "--trust", roots,
                                     "--id", "bench-\(index + 1)", "--log-level", "warning"]
                    if let concurrency { arguments += ["--concurrency", String(concurrency)] }
                    let process = Process()
                    process.executableURL = self_
                    process.arguments = arguments
                    process.standardOutput = FileHandle.nullDevice
                    try process.run()
                    return process
                }
            }
        }
        let enqueued = Date()
        var finishedAt = Date()
        while true {
            let row = try connection.query(
                "SELECT completed, discarded, total FROM sealpress.batch_progress WHERE label = $1", [.text(batch)])[0]
            if try row.int(0) + row.int(1) >= row.int(2) {
                finishedAt = Date()
                break
            }
            if processes.allSatisfy({ !$0.isRunning }) { break }
            usleep(20_000)
        }
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for process in processes { process.waitUntilExit() }
        let completed = try connection.query(
            "SELECT completed FROM sealpress.batch_progress WHERE label = $1", [.text(batch)])[0].int(0)
        guard completed == docs else {
            let reasons = try connection.query(
                """
                SELECT state::text || ': ' || coalesce(errors -> -1 ->> 'error', '-') || ' ×' || count(*)
                  FROM sealpress.jobs WHERE state <> 'completed' GROUP BY state, errors -> -1 ->> 'error'
                """).map { try $0.string(0) }
            throw CouldNotRun("only \(completed) of \(docs) documents were stamped: \(reasons.joined(separator: "; "))")
        }
        let seconds = finishedAt.timeIntervalSince(started)
        let rate = Double(docs) / seconds
        let pyhankoAfter = measurePyHanko()
        let pyhanko: Double? = switch (pyhankoBefore, pyhankoAfter) {
        case let (before?, after?): (before + after) / 2
        case let (one?, nil), let (nil, one?): one
        case (nil, nil): nil
        }

        let result: [String: Any] = [
            "docs": docs, "workers": workers, "concurrency": concurrency ?? WorkerOptions.defaultConcurrency,
            "cores": ProcessInfo.processInfo.activeProcessorCount, "verifyAfterSigning": !noVerify,
            "documentBytes": document.count, "enqueueSeconds": enqueued.timeIntervalSince(started),
            "totalSeconds": seconds, "docsPerSecond": (rate * 10).rounded() / 10,
            "pyhankoDocsPerSecond": pyhanko.map { ($0 * 10).rounded() / 10 } as Any,
            "pyhankoRuns": [pyhankoBefore, pyhankoAfter].compactMap { $0.map { ($0 * 10).rounded() / 10 } },
            "ratio": pyhanko.map { (rate / $0 * 100).rounded() / 100 } as Any,
        ]
        if json {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "pipeline: %d docs (%d bytes each) with %d worker process(es) on %d core(s): %.2f s → %.1f docs/s%@",
                         docs, document.count, workers, ProcessInfo.processInfo.activeProcessorCount, seconds, rate,
                         noVerify ? " (no verification)" : " (each output verified)"))
            if let pyhanko {
                print(String(format: "pyHanko (tuned, one process, same document, RSA-2048 PAdES B-B, visible; mean of runs before and after ours: %@): %.1f docs/s → ratio %.2f×",
                             [pyhankoBefore, pyhankoAfter].compactMap { $0.map { String(format: "%.1f", $0) } }.joined(separator: ", "),
                             pyhanko, rate / pyhanko))
            } else {
                print("pyHanko: not measured")
            }
        }
    }

    static func executable() throws -> URL {
        if let path = Bundle.main.executablePath { return URL(fileURLWithPath: path) }
        throw CouldNotRun("cannot find the sealpress executable")
    }

    static func run(_ executable: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CouldNotRun("sealpress \(arguments.prefix(2).joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))")
        }
    }

    /// pyHanko's docs/s from the pdfsign helper's harness, or nil when it or pyHanko is missing.
    static func pyHankoRate(document: String, key: String, cert: String, picture: String, seconds: Double) -> Double? {
        let script = "Benchmarks/pyhanko/bench_pyhanko_stamp.py"
        guard FileManager.default.fileExists(atPath: script) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--file", document, "--key", key, "--cert", cert, "--image", picture,
                             "--visible", "--seconds", String(seconds), "--json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let rate = object["docsPerSecond"] as? Double
        else { return nil }
        return rate
    }
}
