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
        let bureau = try world.bureau(
            url: url, esid: "REMOTE-PIPE", sealName: "远程局章", reference: world.reference("sm2", port: port, timeout: 3),
            pdf: 30, ofd: 10, batch: "remote", folderPrefix: "pipeline")
        let (folder, pipelines, database) = (bureau.folder, bureau.pipelines, bureau.database)
        #expect(bureau.registered.contains("registered seal bureau"))
        // An RSA key of the service is refused for an SM2 seal (the key is not the seal's signer).
        let esl = folder.appendingPathComponent("bureau.esl").path
        let wrongKey = try world.run(
            ["seal", "register", "--name", "wrong", "--esl", esl, "--key-ref", world.reference("rsa", port: port), "--owner", "x"] + database)
        #expect(wrongKey.status == 3, "an RSA service key was registered for an SM2 seal")
        let jobCount = bureau.enqueued
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
