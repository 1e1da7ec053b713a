import Foundation
import Postgres
import SealTestSupport
import Testing

/// Stamp jobs whose seal's key is in the signing service: a registered `sealpress+https://` reference, a worker
/// process, and the service SIGKILLed in the middle of the batch and started again.
@Suite(.enabled(if: RemoteSigningWorld.available, "needs the built sealpress binary and openssl"))
struct RemotePipelineTests {
    /// Every job completes exactly once after the service is back: one usage row per signature, none twice,
    /// and some jobs did fail while it was down (so the kill really was mid-batch).
    @Test func jobsCompleteOnceAcrossAServiceKill() throws {
        let world = try RemoteSigningWorld.require()
        let service = ServiceProcess(binary: world.binary, directory: world.directory, logName: "pipeline-\(UUID().uuidString.prefix(6)).log")
        try service.start(port: 0)
        defer { service.stop() }
        let port = service.port
        let url = try TestPostgres.shared.makeDatabase(prefix: "remote_pipeline")
        let database = ["--database-url", url]
        let folder = world.directory.appendingPathComponent("pipeline-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            let result = try world.run(arguments)
            #expect(result.status == 0, "sealpress \(arguments.prefix(2).joined(separator: " ")): \(result.stderr)")
            return result
        }
        _ = try run(["migrate"] + database)
        let esl = folder.appendingPathComponent("bureau.esl").path
        let picture = TestEnvironment.repositoryRoot.appendingPathComponent("Tests/SealPressCLITests/Fixtures/seal.png").path
        _ = try run([
            "seal", "make", "--name", "远程局章", "--type", "1", "--esid", "REMOTE-PIPE", "--picture", picture,
            "--width-mm", "40", "--height-mm", "40", "--signer-cert", world.path("pki/sm2-signer.cert.pem"),
            "--maker-key", world.path("pki/seal-maker.key.pem"), "--maker-cert", world.path("pki/seal-maker.cert.pem"),
            "--valid-from", "2020-01-01", "--valid-to", "2099-12-31", "--out", esl,
        ])
        // The registry stores only the reference; register checks it resolves and its key is the seal's signer.
        let reference = world.reference("sm2", port: port, timeout: 3)
        let registered = try run(["seal", "register", "--name", "bureau", "--esl", esl, "--key-ref", reference, "--owner", "远程测试局"] + database)
        #expect(registered.stdout.contains("registered seal bureau"))
        let wrongKey = try world.run(
            ["seal", "register", "--name", "wrong", "--esl", esl, "--key-ref", world.reference("rsa", port: port), "--owner", "x"] + database)
        #expect(wrongKey.status == 3, "an RSA service key was registered for an SM2 seal")
        _ = try run(["seal", "grant", "bureau", "--principal", "office", "--to", "2099-12-31"] + database)

        let pipelines = folder.appendingPathComponent("pipelines")
        try FileManager.default.createDirectory(at: pipelines, withIntermediateDirectories: true)
        try Data("""
            name: remote
            seal: bureau
            placements:
              - page: last
                x_mm: 20
                y_mm: 20
            formats:
              pdf: sm2
              ofd: ses
            verify_after_signing: true
            """.utf8).write(to: pipelines.appendingPathComponent("remote.yaml"))
        let documents = folder.appendingPathComponent("docs")
        _ = try run(["pipeline", "samples", "--out", documents.path, "--pdf", "30", "--ofd", "10", "--pages", "2"])
        let enqueued = try run(
            ["enqueue", "stamp", "--pipeline", "remote", "--principal", "office", "--batch", "remote", "--json",
             "--pipelines", pipelines.path, documents.path] + database)
        let jobCount = try #require(try enqueued.stdout.jsonObjectValue()["enqueued"] as? Int)
        #expect(jobCount == 40)

        let connection = try PGConnection(url)
        defer { connection.close() }
        func usageRows() throws -> Int { try connection.query("SELECT count(*) FROM sealpress.usage_log")[0].int(0) }

        let worker = Process()
        worker.executableURL = world.binary
        worker.arguments = [
            "worker", "--pipelines", pipelines.path, "--exit-when-idle", "--idle-wait", "90s", "--concurrency", "2",
            "--backoff-base", "500ms", "--backoff-max", "2s", "--poll-seconds", "0.5", "--promote-seconds", "0.5",
        ] + database
        worker.environment = ProcessInfo.processInfo.environment.merging(["SEALPRESS_TRUST": world.path("pki/roots.pem")]) { $1 }
        let workerLog = folder.appendingPathComponent("worker.log")
        _ = FileManager.default.createFile(atPath: workerLog.path, contents: nil)
        worker.standardError = try FileHandle(forWritingTo: workerLog)
        worker.standardOutput = FileHandle.nullDevice
        try worker.run()
        defer { if worker.isRunning { worker.terminate() } }

        // Kill the service as soon as the first signatures exist, keep it down a while, bring it back.
        let deadline = Date().addingTimeInterval(120)
        while try usageRows() < 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        service.kill()
        let atKill = try usageRows()
        Thread.sleep(forTimeInterval: 3)
        try service.start(port: port)
        worker.waitUntilExit()
        let log = (try? String(contentsOf: workerLog, encoding: .utf8)) ?? ""
        #expect(worker.terminationStatus == 0, "\(log.suffix(2000))")

        #expect(atKill < jobCount, "the batch was over before the kill")
        let states = try connection.query("SELECT state::text, count(*) FROM sealpress.jobs GROUP BY state").map {
            "\(try $0.string(0))=\(try $0.int(1))"
        }
        #expect(states == ["completed=40"], "\(states) \(log.suffix(2000))")
        #expect(try usageRows() == 40)
        #expect(try connection.query(
            "SELECT count(*) FROM (SELECT job_id FROM sealpress.usage_log GROUP BY job_id HAVING count(*) > 1) twice")[0].int(0) == 0)
        let retried = try connection.query("SELECT count(*) FROM sealpress.jobs WHERE attempt > 1")[0].int(0)
        #expect(retried > 0, "no job failed while the service was down")
        let audit = try world.run(["audit", "verify"] + database)
        #expect(audit.status == 0, "\(audit.stdout) \(audit.stderr)")
    }
}

extension String {
    func jsonObjectValue() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(utf8)) as? [String: Any], "not a JSON object: \(self)")
    }
}
