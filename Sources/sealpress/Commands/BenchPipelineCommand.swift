import ArgumentParser
import Foundation
import Postgres
import SealCrypto
import SealPipeline
import SealQueue
import SealWorker

/// `sealpress bench pipeline --docs N [--workers W] [--format pdf|ofd] [--kind stamp|verify] [--json]`: end-to-end
/// documents per second, from the first enqueue to the last output committed, with worker PROCESSES and PostgreSQL
/// on this machine; beside the database's limit for 100 KB result writes (pgbench, ``PgbenchResultWrites``, on the
/// same server right before and right after our run) and, for PDF stamping, pyHanko's tuned single-process rate on
/// the same document, key type and format.
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
            --format ofd stamps an OFD (SM2 seal, SES) instead; --kind verify enqueues verify jobs of a document \
            stamped once beforehand. The database limit: pgbench claiming 10 jobs per transaction and completing them \
            with a 100 KB result each (Benchmarks/queue/claim_complete_10_results.sql), in a scratch database on the \
            same server, right before and right after our run (the mean is the limit; --no-pgbench skips it). \
            The CPU the run used is reported by part (workers, PostgreSQL when it runs on this machine, this \
            process), per document, as the cores' busy share, and as the rate the cores allow at that CPU per document. \
            pgbench's own CPU per result is measured as well, beside the CPU a document may cost in all for the run \
            to reach 70 % of the limit on these cores: where PostgreSQL shares the cores with the workers, the two \
            say whether that share is reachable here at all.

            Examples:
              sealpress bench pipeline --docs 2000 --no-pyhanko
              sealpress bench pipeline --format ofd --kind verify --docs 2000 --json
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case pdf, ofd }
    enum Kind: String, ExpressibleByArgument, CaseIterable { case stamp, verify }

    @Option(help: "Documents to stamp.") var docs: Int = 500
    @Option(help: "Worker processes.") var workers: Int = 2
    @Option(help: "Job slots per worker (default: the worker's, 4 per core).") var concurrency: Int?
    @Option(help: "Document format: pdf (RSA-2048 seal, PAdES B-B) or ofd (SM2 seal, SES).") var format: Format = .pdf
    @Option(help: "Job kind: stamp, or verify (of the document stamped once beforehand).") var kind: Kind = .stamp
    @Option(help: "The PDF to stamp.") var pdf: String = "Tests/SealPDFTests/Fixtures/sign/bench-doc100k.pdf"
    @Option(help: "The OFD to stamp (default: a sample made by `sealpress pipeline samples`).") var ofd: String?
    @Option(help: "The seal picture (PNG).") var picture: String = "Tests/SealPipelineTests/Fixtures/seal-400.png"
    @Option(name: .customLong("database-url"), help: "Use this server instead of a private one.") var databaseURL: String?
    @Flag(help: "Do not verify outputs after signing.") var noVerify = false
    @Flag(help: "Workers store outputs whole (worker --whole-outputs: the storage before queue migration 6).")
    var wholeOutputs = false
    @Flag(help: "Skip the pyHanko comparison.") var noPyhanko = false
    @Option(help: "Seconds pyHanko signs for.") var pyhankoSeconds: Double = 5
    @Flag(help: "Skip the pgbench baseline (100 KB result writes).") var noPgbench = false
    @Option(help: "Jobs per pgbench baseline run.") var pgbenchJobs: Int = 4000
    @Option(help: "pgbench clients.") var pgbenchClients: Int = 2
    @Option(help: "Bytes of each result pgbench writes.") var pgbenchBytes: Int = 102_400
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard docs >= 1, workers >= 1 else { throw ValidationError("--docs and --workers must be at least 1") }
        guard pgbenchJobs >= 10, pgbenchClients >= 1, pgbenchBytes >= 16 else {
            throw ValidationError("--pgbench-jobs must be at least 10, --pgbench-clients 1 and --pgbench-bytes 16")
        }
        guard FileManager.default.fileExists(atPath: picture) else {
            throw CouldNotRun("cannot read \(picture) (run from the repository root or pass --picture)")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sealpress-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let self_ = try Self.executable()
        let source = try documentPath(work: work, executable: self_)
        guard let original = FileManager.default.contents(atPath: source) else {
            throw CouldNotRun("cannot read \(source) (run from the repository root or pass --\(format.rawValue))")
        }

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
        let esl = work.appendingPathComponent("bench.esl").path
        // PDF: RSA-2048 (PAdES, as pyHanko); OFD: SM2 (SES needs it).
        let signerName = format == .pdf ? "rsa-signer" : "sm2-signer"
        let signerKey = pkiDirectory.appendingPathComponent("\(signerName).key.pem").path
        let signerCert = pkiDirectory.appendingPathComponent("\(signerName).cert.pem").path
        let sealName = "bench-\(UUID().uuidString.prefix(6).lowercased())"
        try Self.run(self_, [
            "seal", "make", "--name", "性能测试章", "--type", "1", "--esid", "BENCH-\(sealName)", "--picture", picture,
            "--width-mm", "40", "--height-mm", "40", "--signer-cert", signerCert,
            "--maker-key", pkiDirectory.appendingPathComponent("seal-maker.key.pem").path,
            "--maker-cert", pkiDirectory.appendingPathComponent("seal-maker.cert.pem").path,
            "--valid-from", "2025-01-01", "--valid-to", "2035-12-31", "--out", esl,
        ])
        let keyRef = "file:\(signerKey)?cert=\(signerCert)"
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
              ofd: ses
            verify_after_signing: \(noVerify ? "false" : "true")
            """.utf8).write(to: pipelines.appendingPathComponent("bench.yaml"))
        let roots = pkiDirectory.appendingPathComponent("roots.pem").path
        // Verify jobs get the document stamped once, here, with the same seal and placement.
        let document: Data
        if kind == .verify {
            let signed = work.appendingPathComponent("signed.\(format.rawValue)").path
            try Self.run(self_, [
                "stamp", source, signed, "--seal", esl, "--key", signerKey, "--cert", signerCert, "--page", "last",
                "--x-mm", "130", "--y-mm", "30", "--width-mm", "40",
            ])
            guard let bytes = FileManager.default.contents(atPath: signed) else { throw CouldNotRun("cannot read \(signed)") }
            document = bytes
        } else {
            document = original
        }
        // pyHanko runs right before and right after our run; its rate is the mean of the two, so a machine whose
        // speed drifts (a shared VM) moves both sides of the ratio alike.
        // pyHanko signs PDFs only: the peer is measured for PDF stamp jobs.
        let pyhankoApplies = format == .pdf && kind == .stamp
        func measurePyHanko() -> Double? {
            noPyhanko || !pyhankoApplies ? nil : Self.pyHankoRate(
                document: source, key: signerKey, cert: signerCert, picture: picture, seconds: pyhankoSeconds)
        }
        // The database limit, the same way: pgbench right before and right after our run, in its own scratch
        // database on the same server (our jobs' database is never emptied).
        let baseline = noPgbench ? nil : try ResultWritesBaseline(
            url: url, connection: connection, jobs: pgbenchJobs, clients: pgbenchClients, bytes: pgbenchBytes)
        defer { baseline?.drop() }
        let cpu = PipelineCPU(connection: connection)
        let pgbenchBeforeRun = try baseline?.measure(cpu: cpu)
        let pgbenchBefore = pgbenchBeforeRun?.result
        // pgbench's writes are checkpointed before our run starts, as pgbench's own run starts after a CHECKPOINT.
        if baseline != nil { try connection.execute("CHECKPOINT") }
        let pyhankoBefore = measurePyHanko()

        // Timed: enqueue (chunks of 100, one round trip and one transaction each), workers, until every job is completed.
        let batch = "bench-\(UUID().uuidString.prefix(8))"
        let cpuBefore = cpu.sample()
        let started = Date()
        var offset = 0
        var processes: [Process] = []
        while offset < docs {
            let chunk = min(100, docs - offset)
            // As `sealpress enqueue stamp` does: one round trip and one transaction per chunk.
            try JobQueue(connection: connection).enqueue((0..<chunk).map { _ in
                NewJob(
                    kind: kind.rawValue,
                    argsJSON: kind == .stamp ? #"{"pipeline": "bench", "principal": "bench"}"# : "{}", maxAttempts: 3,
                    batchLabel: batch, document: document, documentName: "bench.\(format.rawValue)")
            })
            offset += chunk
            // Workers start after the first chunk and run while the rest is enqueued; stopped (SIGTERM) at the end.
            if processes.isEmpty {
                processes = try (0..<workers).map { index -> Process in
                    var arguments = ["worker", "--database-url", url, "--pipelines", pipelines.path, "--trust", roots,
                                     "--id", "bench-\(index + 1)", "--log-level", "warning"]
                    if let concurrency { arguments += ["--concurrency", String(concurrency)] }
                    if wholeOutputs { arguments.append("--whole-outputs") }
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
            // Prepared: polled every 20 ms, it would otherwise be planned again each time on the server we measure.
            let row = try connection.preparedQuery(
                "SELECT completed, discarded, total FROM sealpress.batch_progress WHERE label = $1", [.text(batch)])[0]
            if try row.int(0) + row.int(1) >= row.int(2) {
                finishedAt = Date()
                break
            }
            if processes.allSatisfy({ !$0.isRunning }) { break }
            usleep(20_000)
        }
        let cpuAtFinish = cpu.sample()
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for process in processes { process.waitUntilExit() }
        let cpuAfter = cpu.sample()
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
        let pgbenchAfterRun = try baseline?.measure(cpu: cpu)
        let pgbenchAfter = pgbenchAfterRun?.result
        let pyhanko = Self.mean(pyhankoBefore, pyhankoAfter)
        let pgbench = Self.mean(pgbenchBefore?.jobsPerSecond, pgbenchAfter?.jobsPerSecond)
        func rounded(_ value: Double, _ places: Double = 10) -> Double { (value * places).rounded() / places }
        func orNull(_ value: Double?) -> Any { value.map { $0 as Any } ?? NSNull() }

        let cores = ProcessInfo.processInfo.activeProcessorCount
        let cpuFigures = PipelineCPU.figures(
            before: cpuBefore, server: cpuAtFinish, after: cpuAfter, docs: docs, seconds: seconds, cores: cores)
        var result: [String: Any] = [
            "docs": docs, "workers": workers, "concurrency": concurrency ?? WorkerOptions.defaultConcurrency,
            "cores": ProcessInfo.processInfo.activeProcessorCount, "verifyAfterSigning": kind == .stamp && !noVerify,
            "format": format.rawValue, "kind": kind.rawValue, "wholeOutputs": wholeOutputs,
            "documentBytes": document.count, "enqueueSeconds": enqueued.timeIntervalSince(started),
            "totalSeconds": seconds, "docsPerSecond": rounded(rate),
            "pyhankoDocsPerSecond": orNull(pyhanko.map { rounded($0) }),
            "pyhankoRuns": [pyhankoBefore, pyhankoAfter].compactMap { $0.map { rounded($0) } },
            "ratio": orNull(pyhanko.map { rounded(rate / $0, 100) }),
            "pgbenchResultWritesPerSecond": orNull(pgbench.map { rounded($0) }),
            "pgbenchRuns": [pgbenchBefore, pgbenchAfter].compactMap { $0.map { rounded($0.jobsPerSecond) } },
            "pgbenchResultBytes": pgbenchBytes, "pgbenchClients": pgbenchClients, "pgbenchJobs": pgbenchJobs,
            "pgbenchCommand": (pgbenchBefore?.command).map { $0 as Any } ?? NSNull(),
            "ratioToPgbench": orNull(pgbench.map { rounded(rate / $0, 1000) }),
        ]
        result.merge(cpuFigures) { first, _ in first }
        let bound = PipelineCPU.bound(
            pgbenchRuns: [pgbenchBeforeRun, pgbenchAfterRun].compactMap { $0 }.map { ($0.result.completed, $0.cpuSeconds) },
            pgbench: pgbench, cpuBoundDocsPerSecond: cpuFigures["cpuBoundDocsPerSecond"] as? Double, cores: cores)
        result.merge(bound) { first, _ in first }
        if json {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            let what = kind == .verify ? " (verify jobs)" : noVerify ? " (no verification)" : " (each output verified)"
            print(String(format: "pipeline: %d %@ %@ docs (%d bytes each) with %d worker process(es) on %d core(s): %.2f s → %.1f docs/s%@",
                         docs, format.rawValue.uppercased(), kind.rawValue, document.count, workers,
                         ProcessInfo.processInfo.activeProcessorCount, seconds, rate, what))
            if let perDocument = cpuFigures["cpuMillisecondsPerDocument"] as? Double,
                let utilisation = cpuFigures["coreUtilisation"] as? Double,
                let bound = cpuFigures["cpuBoundDocsPerSecond"] as? Double
            {
                let postgres = (cpuFigures["cpuSecondsPostgres"] as? Double).map { String(format: "%.1f s", $0) } ?? "not readable"
                print(String(format: "CPU during the run: workers %.1f s, PostgreSQL %@, producer %.1f s = %.2f ms per document; cores busy %.0f %%; at that CPU per document %d core(s) allow %.0f docs/s",
                             cpuFigures["cpuSecondsWorkers"] as? Double ?? 0, postgres, cpuFigures["cpuSecondsProducer"] as? Double ?? 0,
                             perDocument, utilisation * 100, cores, bound))
            }
            if let pgbench {
                print(String(format: "database limit (pgbench, %d clients, batches of 10, one %d-byte result each; runs before and after ours: %@): %.0f results/s → %.1f %% of the limit",
                             pgbenchClients, pgbenchBytes,
                             [pgbenchBefore, pgbenchAfter].compactMap { $0.map { String(format: "%.0f", $0.jobsPerSecond) } }.joined(separator: ", "),
                             pgbench, rate / pgbench * 100))
            } else {
                print("database limit (pgbench): not measured")
            }
            if let budget = bound["cpuBudgetMillisecondsPerDocumentAtGoal"] as? Double,
                let ceiling = bound["cpuBoundRatioToPgbench"] as? Double
            {
                let pgbenchCPU = (bound["pgbenchCpuMillisecondsPerResult"] as? Double).map { String(format: "%.2f ms", $0) } ?? "not readable"
                print(String(format: "on these %d core(s) 70 %% of the limit leaves %.2f ms of CPU per document for everything (pgbench alone spent %@ per result); at the CPU per document above the cores allow %.1f %% of the limit",
                             cores, budget, pgbenchCPU, ceiling * 100))
            }
            if let pyhanko {
                print(String(format: "pyHanko (tuned, one process, same document, RSA-2048 PAdES B-B, visible; mean of runs before and after ours: %@): %.1f docs/s → ratio %.2f×",
                             [pyhankoBefore, pyhankoAfter].compactMap { $0.map { String(format: "%.1f", $0) } }.joined(separator: ", "),
                             pyhanko, rate / pyhanko))
            } else {
                print(pyhankoApplies ? "pyHanko: not measured" : "pyHanko: not measured (it is compared on PDF stamp jobs)")
            }
        }
    }

    /// The document to enqueue (or to stamp once for verify jobs): --pdf, --ofd, or a sample OFD made here.
    func documentPath(work: URL, executable: URL) throws -> String {
        if format == .pdf { return pdf }
        if let ofd { return ofd }
        let samples = work.appendingPathComponent("samples")
        try Self.run(executable, ["pipeline", "samples", "--out", samples.path, "--pdf", "0", "--ofd", "1"])
        let names = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
        guard let name = names.sorted().first(where: { $0.hasSuffix(".ofd") }) else {
            throw CouldNotRun("`sealpress pipeline samples` made no OFD; pass --ofd")
        }
        return samples.appendingPathComponent(name).path
    }

    static func mean(_ first: Double?, _ second: Double?) -> Double? {
        switch (first, second) {
        case let (a?, b?): (a + b) / 2
        case let (one?, nil), let (nil, one?): one
        case (nil, nil): nil
        }
    }

    /// pgbench's 100 KB result writes in a scratch database beside the bench's (same server), created on first use
    /// and dropped at the end.
    final class ResultWritesBaseline {
        let adminConnection: PGConnection
        let name = "sealpress_bench_results_\(UUID().uuidString.prefix(8).lowercased())"
        let url: String
        let jobs: Int, clients: Int, bytes: Int

        init(url base: String, connection: PGConnection, jobs: Int, clients: Int, bytes: Int) throws {
            adminConnection = connection
            self.jobs = jobs
            self.clients = clients
            self.bytes = bytes
            url = BenchQueueCommand.url(base, database: name)
            do {
                try connection.execute("CREATE DATABASE \(name)")
                let scratch = try PGConnection(url)
                defer { scratch.close() }
                try Migrator.migrate(scratch)
            } catch {
                throw CouldNotRun("cannot create the pgbench database \(name) (needs CREATEDB; or pass --no-pgbench): \(error)")
            }
        }

        /// What pgbench measured, and the CPU seconds it cost on this machine (pgbench itself and the server; nil
        /// when the server's processes are not readable here).
        func measure(cpu: PipelineCPU) throws -> (result: PgbenchResultWrites.Result, cpuSeconds: Double?) {
            do {
                var spent: Double?
                let result = try PgbenchResultWrites(jobs: jobs, clients: clients, resultBytes: bytes, url: url).run {
                    pgbench in
                    let before = cpu.sample()
                    let tps = try pgbench()
                    let after = cpu.sample()
                    if let start = before.postgres, let end = after.postgres {
                        spent = (after.children - before.children) + (end - start)
                    }
                    return tps
                }
                return (result, spent)
            } catch {
                throw CouldNotRun("the pgbench baseline failed (pass --no-pgbench to skip it): \(error)")
            }
        }

        func drop() { try? adminConnection.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
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
