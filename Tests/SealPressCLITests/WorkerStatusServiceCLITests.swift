import Foundation
import Postgres
import SealTestSupport
import Testing

/// Status services and checkpoints through the queue: `worker --status-service`, a pipeline's `status_services`
/// for `enqueue verify --pipeline`, and the leader's `--checkpoint-every`.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct WorkerStatusServiceCLITests {
    static let placement = "placements:\n  - page: last\n    x_mm: 135\n    y_mm: 30\n    width_mm: 40\n"

    static func writePipelines(_ files: [String: String], in folder: URL) throws -> String {
        let directory = folder.appendingPathComponent("pipelines")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        return directory.path
    }

    /// The `sealStatus` check of the first signature in the stored report of every job of `batch`.
    static func sealStatusChecks(_ connection: PGConnection, batch: String) throws -> [[String: Any]] {
        let rows = try connection.query(
            """
            SELECT j.state::text, coalesce(o.report::text, '') FROM sealpress.jobs j
            JOIN sealpress.batches b ON b.id = j.batch_id LEFT JOIN sealpress.outputs o ON o.job_id = j.id
            WHERE b.label = '\(batch)' ORDER BY j.id
            """)
        var checks: [[String: Any]] = []
        for row in rows {
            let state = try row.string(0)
            let text = try row.string(1)
            #expect(state == "completed", "batch \(batch): \(text)")
            let report = try text.jsonObject()
            let signatures = try #require(report["signatures"] as? [[String: Any]])
            let list = try #require(signatures.first?["checks"] as? [[String: Any]])
            checks.append(try #require(list.first { $0["name"] as? String == "sealStatus" }, "\(report)"))
        }
        return checks
    }

    @Test func verifyJobsConsultThePipelinesAndTheWorkersStatusServices() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("worker-status")
        // The issuer: its database with the seal, and its `serve` answering for it.
        let issuer = try StatusServiceCLITests.install(
            world, esl: world.path("seal.esl"), sealName: "bureau-w", statusIdentity: "ecdsa-signer")
        defer { issuer.server.stop() }
        let active = folder.appendingPathComponent("active.pdf").path
        try StatusServiceCLITests.stamp(world, esl: world.path("seal.esl"), to: active)
        Thread.sleep(forTimeInterval: 1.1)
        let revoked = try world.run(["seal", "revoke", "--seal", "bureau-w", "--reason", "key lost"] + issuer.database)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        Thread.sleep(forTimeInterval: 1.1)
        let afterRevocation = folder.appendingPathComponent("after.pdf").path
        try StatusServiceCLITests.stamp(world, esl: world.path("seal.esl"), to: afterRevocation)

        // The relying party: another database whose workers verify.
        let url = try TestPostgres.shared.makeDatabase(prefix: "cli_wstatus")
        let database = ["--database-url", url]
        #expect(try world.run(["migrate"] + database).status == 0)
        let pipelines = try Self.writePipelines([
            "checked.yaml": "name: checked\nseal: bureau-w\n" + Self.placement
                + "status_services:\n  - \(issuer.server.baseURL)\n",
            "dead.yaml": "name: dead\nseal: bureau-w\n" + Self.placement + "status_services:\n  - http://127.0.0.1:1\n",
        ], in: folder)
        #expect(try world.run(["pipeline", "check", pipelines]).status == 0)
        func enqueue(_ batch: String, _ pipeline: String?, _ files: [String]) throws {
            let enqueued = try world.run(
                ["enqueue", "verify", "--batch", batch, "--pipelines", pipelines]
                    + (pipeline.map { ["--pipeline", $0] } ?? []) + files + database)
            #expect(enqueued.status == 0, "\(enqueued.stderr)")
        }
        try enqueue("by-pipeline", "checked", [active, afterRevocation])
        try enqueue("unreachable", "dead", [active])
        // A pipeline the directory lacks is refused at enqueue.
        let unknown = try world.run(
            ["enqueue", "verify", "--batch", "x", "--pipelines", pipelines, "--pipeline", "nope", active] + database)
        #expect(unknown.status != 0 && unknown.stderr.contains("no pipeline named 'nope'"), "\(unknown.stderr)")

        // A worker with the pipelines only: the pipelines' services are consulted.
        let first = try world.run(
            ["worker", "--pipelines", pipelines, "--trust", world.roots, "--exit-when-idle"] + database)
        #expect(first.status == 0, "\(first.stderr)")
        let connection = try PGConnection(url)
        defer { connection.close() }
        let byPipeline = try Self.sealStatusChecks(connection, batch: "by-pipeline")
        #expect(byPipeline.count == 2)
        #expect(byPipeline.first?["status"] as? String == "passed", "\(byPipeline)")
        #expect((byPipeline.first?["reason"] as? String)?.contains("revoked") == true, "\(byPipeline)")
        #expect(byPipeline.last?["status"] as? String == "failed", "\(byPipeline)")
        #expect(byPipeline.last?["subIndication"] as? String == "REVOKED")
        let unreachable = try Self.sealStatusChecks(connection, batch: "unreachable")
        #expect(unreachable.first?["status"] as? String == "indeterminate", "\(unreachable)")
        #expect((unreachable.first?["reason"] as? String)?.contains("unreachable") == true, "\(unreachable)")

        // A worker with --status-service: verify jobs without a pipeline consult it.
        try enqueue("by-flag", nil, [active, afterRevocation])
        let second = try world.run(
            ["worker", "--pipelines", pipelines, "--trust", world.roots, "--status-service", issuer.server.baseURL,
             "--exit-when-idle"] + database)
        #expect(second.status == 0, "\(second.stderr)")
        let byFlag = try Self.sealStatusChecks(connection, batch: "by-flag")
        #expect(byFlag.map { $0["status"] as? String } == ["passed", "failed"], "\(byFlag)")

        // The worker refuses a status service that is not an http(s) URL, before it touches the database.
        let bad = try world.run(
            ["worker", "--pipelines", pipelines, "--status-service", "ftp://issuer", "--exit-when-idle"] + database)
        #expect(bad.status != 0 && bad.stderr.contains("http(s) URL"), "\(bad.stderr)")
    }

    @Test func theLeaderTakesCheckpointsThatAuditVerifyAccepts() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("worker-checkpoint")
        let url = try TestPostgres.shared.makeDatabase(prefix: "cli_wcheckpoint")
        let database = ["--database-url", url]
        #expect(try world.run(["migrate"] + database).status == 0)
        let keyRef = "file:\(world.path("pki/sm2-signer.key.pem"))?cert=\(world.path("pki/sm2-signer.cert.pem"))"
        let registered = try world.run(
            ["seal", "register", "--name", "bureau-k", "--esl", world.path("seal.esl"), "--key-ref", keyRef,
             "--owner", "测试局"] + database)
        #expect(registered.status == 0, "\(registered.stderr)")
        #expect(try world.run(["seal", "grant", "bureau-k", "--principal", "office", "--to", "2090-12-31"] + database).status == 0)
        let pipelines = try Self.writePipelines(
            ["k.yaml": "name: k\nseal: bureau-k\n" + Self.placement + "formats:\n  pdf: pades-b-b\n"], in: folder)
        let documents = folder.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: world.samplePDF, toPath: documents.appendingPathComponent("a.pdf").path)
        try FileManager.default.copyItem(atPath: world.sampleOFD, toPath: documents.appendingPathComponent("b.ofd").path)
        let enqueued = try world.run(
            ["enqueue", "stamp", "--pipeline", "k", "--principal", "office", "--batch", "k1", "--pipelines", pipelines,
             documents.path] + database)
        #expect(enqueued.status == 0, "\(enqueued.stderr)")

        let log = folder.appendingPathComponent("worker.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let worker = Process()
        worker.executableURL = world.binary
        worker.arguments = ["worker", "--pipelines", pipelines, "--trust", world.roots, "--checkpoint-every", "1s",
                            "--status-key", StatusServiceCLITests.statusKey(world, "ecdsa-signer")] + database
        worker.standardOutput = handle
        worker.standardError = handle
        try worker.run()
        defer { if worker.isRunning { worker.terminate() } }

        let connection = try PGConnection(url)
        defer { connection.close() }
        let workerLog = { String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self) }
        // Both documents stamped (one usage row each), and a checkpoint covering both rows.
        let covered = try waitFor(seconds: 120) {
            try connection.query("SELECT count(*)::int8 FROM sealpress.usage_checkpoints WHERE row_count = 2")[0].int(0) > 0
        }
        #expect(covered, "\(workerLog())")
        #expect(try connection.query("SELECT count(*)::int8 FROM sealpress.usage_log")[0].int(0) == 2)
        worker.terminate()
        worker.waitUntilExit()

        let server = try ServeProcess(world.binary, database)
        defer { server.stop() }
        let verified = try world.run(
            ["audit", "verify", "--checkpoints", server.baseURL, "--status-trust", world.roots, "--json"] + database)
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let json = try verified.stdout.jsonObject()
        #expect(json["intact"] as? Bool == true)
        #expect((json["checkpoints"] as? Int ?? 0) >= 1, "\(json)")
    }
}

/// Polls `condition` every 0.2 s for up to `seconds`.
private func waitFor(seconds: Double, _ condition: () throws -> Bool) throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.2)
    }
    return try condition()
}
