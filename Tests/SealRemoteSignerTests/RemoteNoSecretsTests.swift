import Foundation
import Postgres
import SealTestSupport
import Testing

/// A worker whose seal's key is in the signing service holds no private key: not the TLS client key it
/// authenticates with (it reads it from the file the reference names), and certainly not the signing key the
/// service holds — in neither its argv, its environment, its log nor the database.
@Suite(.enabled(if: RemoteSigningWorld.available, "needs the built sealpress binary and openssl"))
struct RemoteNoSecretsTests {
    /// The base64 lines of a PEM file's body (what a leak of the key would contain).
    static func pemBodyLines(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") && $0.count >= 16 }
    }

    @Test func aWorkerStampsWithARemoteKeyAndNoPrivateKeyIsAnywhere() throws {
        let world = try RemoteSigningWorld.require()
        let url = try TestPostgres.shared.makeDatabase(prefix: "remote_secrets")
        let bureau = try world.bureau(
            url: url, esid: "REMOTE-NOSECRET", sealName: "远程无密章", reference: world.reference("sm2"), pdf: 1, ofd: 1,
            batch: "secrets", folderPrefix: "secrets")
        let (folder, pipelines, database) = (bureau.folder, bureau.pipelines, bureau.database)
        #expect(bureau.enqueued == 2)

        let log = folder.appendingPathComponent("worker.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let worker = Process()
        worker.executableURL = world.binary
        worker.arguments = ["worker", "--pipelines", pipelines.path, "--concurrency", "2", "--trust", world.path("pki/roots.pem"),
                            "--log-level", "debug"] + database
        worker.standardOutput = handle
        worker.standardError = handle
        try worker.run()
        defer { if worker.isRunning { worker.terminate() } }

        let connection = try PGConnection(url)
        defer { connection.close() }
        var states: [String] = []
        for _ in 0..<300 {
            states = try connection.query("SELECT state::text FROM sealpress.jobs").map { try $0.string(0) }
            if states.count == 2, states.allSatisfy({ $0 == "completed" || $0 == "discarded" }) { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(states == ["completed", "completed"], "\(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")

        // The client key's body (the worker does read that file) and the service's signing key's body.
        let secrets = try Self.pemBodyLines(world.path("worker.key")) + Self.pemBodyLines(world.path("pki/sm2-signer.key.pem"))
        #expect(secrets.count >= 4)
        func leaks(_ data: Data) -> [String] { secrets.filter { data.range(of: Data($0.utf8)) != nil } }

        // While the worker runs with the remote key in use: argv and environment.
        let pid = worker.processIdentifier
        let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
        #expect(!cmdline.isEmpty && !environ.isEmpty)
        #expect(leaks(cmdline).isEmpty)
        #expect(leaks(environ).isEmpty)
        worker.terminate()
        worker.waitUntilExit()
        try handle.close()
        let logText = try Data(contentsOf: log)
        #expect(!logText.isEmpty)
        #expect(leaks(logText).isEmpty)

        let rows = try connection.query("""
            SELECT coalesce(string_agg(t, E'\\n'), '') FROM (
              SELECT j::text AS t FROM sealpress.jobs j UNION ALL SELECT s::text FROM sealpress.seals s
              UNION ALL SELECT e::text FROM sealpress.registry_events e UNION ALL SELECT u::text FROM sealpress.usage_log u) x
            """).first?.string(0) ?? ""
        #expect(rows.contains("sealpress+https://127.0.0.1"))  // the reference is what the registry keeps
        #expect(leaks(Data(rows.utf8)).isEmpty)
        #expect(!rows.contains("PRIVATE KEY"))
    }
}
