import Foundation
import Postgres
import SealTestSupport
import Testing

/// `sealpress serve`, the seal status service and `verify --status-service` as users run them: two installations,
/// each with its own database and server, verifying each other's documents.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct StatusServiceCLITests {
    /// One installation: a database with a registered seal and a running `serve`.
    struct Installation {
        let database: [String]
        let server: ServeProcess
        let sealName: String
    }

    static func statusKey(_ world: CLIWorld, _ identity: String) -> String {
        "file:\(world.path("pki/\(identity).key.pem"))?cert=\(world.path("pki/\(identity).cert.pem"))"
    }

    static func install(
        _ world: CLIWorld, esl: String, sealName: String, statusIdentity: String
    ) throws -> Installation {
        let url = try TestPostgres.shared.makeDatabase(prefix: "cli_status")
        let database = ["--database-url", url]
        #expect(try world.run(["migrate"] + database).status == 0)
        let keyRef = "file:\(world.path("pki/sm2-signer.key.pem"))?cert=\(world.path("pki/sm2-signer.cert.pem"))"
        let registered = try world.run(
            ["seal", "register", "--name", sealName, "--esl", esl, "--key-ref", keyRef, "--owner", "测试局"] + database)
        #expect(registered.status == 0, "\(registered.stderr)")
        let server = try ServeProcess(
            world.binary, database + ["--status-key", statusKey(world, statusIdentity), "--status-max-age", "60"])
        return Installation(database: database, server: server, sealName: sealName)
    }

    static func stamp(_ world: CLIWorld, esl: String, to output: String) throws {
        let stamped = try world.run([
            "stamp", world.samplePDF, output, "--seal", esl, "--key", world.path("pki/sm2-signer.key.pem"),
            "--cert", world.path("pki/sm2-signer.cert.pem"), "--page", "1", "--x-mm", "20", "--y-mm", "20", "--format", "ses",
        ])
        #expect(stamped.status == 0, "\(stamped.stderr)")
    }

    /// The `sealStatus` check of the first signature in `verify --json`.
    static func sealStatus(_ world: CLIWorld, _ file: String, services: [String]) throws -> (status: Int32, check: [String: Any]) {
        let verified = try world.run(
            ["verify", file, "--trust", world.roots, "--json"] + services.flatMap { ["--status-service", $0] })
        let report = try verified.stdout.jsonObject()
        let signatures = try #require(report["signatures"] as? [[String: Any]])
        let checks = try #require(signatures.first?["checks"] as? [[String: Any]])
        let check = try #require(checks.first { $0["name"] as? String == "sealStatus" }, "\(verified.stdout)")
        return (verified.status, check)
    }

    @Test func twoInstallationsVerifyEachOthersSealsThroughTheirStatusServices() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("status")
        // Installation B's own seal (another esID, same signer).
        let eslB = folder.appendingPathComponent("b.esl").path
        let esIDB = "CLI-STATUS-B-\(UUID().uuidString.prefix(8))"
        let made = try world.run([
            "seal", "make", "--name", "乙方章", "--type", "1", "--esid", esIDB, "--picture", CLIWorld.fixture("seal.png").path,
            "--width-mm", "40", "--height-mm", "40", "--signer-cert", world.path("pki/sm2-signer.cert.pem"),
            "--maker-key", world.path("pki/seal-maker.key.pem"), "--maker-cert", world.path("pki/seal-maker.cert.pem"),
            "--valid-from", "2020-01-01", "--valid-to", "2099-12-31", "--out", eslB,
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let a = try Self.install(world, esl: world.path("seal.esl"), sealName: "bureau-a", statusIdentity: "ecdsa-signer")
        let b = try Self.install(world, esl: eslB, sealName: "bureau-b", statusIdentity: "rsa-signer")
        defer {
            a.server.stop()
            b.server.stop()
        }
        let services = [b.server.baseURL, a.server.baseURL]

        // Health needs no login.
        let health = try HTTPGet.get(port: a.server.port, path: "/healthz")
        #expect(health.status == 200 && health.body.contains("ok"))

        let docA1 = folder.appendingPathComponent("a1.pdf").path
        let docB1 = folder.appendingPathComponent("b1.pdf").path
        try Self.stamp(world, esl: world.path("seal.esl"), to: docA1)
        try Self.stamp(world, esl: eslB, to: docB1)
        // B does not know A's seal (404) and passes on to A; A does not know B's.
        let a1 = try Self.sealStatus(world, docA1, services: services)
        #expect(a1.check["status"] as? String == "passed", "\(a1.check)")
        #expect((a1.check["reason"] as? String)?.contains("active") == true)
        let b1 = try Self.sealStatus(world, docB1, services: services)
        #expect(b1.check["status"] as? String == "passed", "\(b1.check)")

        // A revokes its seal; a document signed afterwards fails, the earlier one passes naming the state.
        Thread.sleep(forTimeInterval: 1.1)
        let revoked = try world.run(["seal", "revoke", "--seal", "bureau-a", "--reason", "key lost"] + a.database)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        Thread.sleep(forTimeInterval: 1.1)
        let docA2 = folder.appendingPathComponent("a2.pdf").path
        try Self.stamp(world, esl: world.path("seal.esl"), to: docA2)
        let before = try Self.sealStatus(world, docA1, services: services)
        #expect(before.check["status"] as? String == "passed", "\(before.check)")
        #expect((before.check["reason"] as? String)?.contains("revoked") == true, "\(before.check)")
        let after = try Self.sealStatus(world, docA2, services: services)
        #expect(after.check["status"] as? String == "failed", "\(after.check)")
        #expect(after.check["subIndication"] as? String == "REVOKED")
        #expect(after.status == 1)

        // B suspends its seal: B's earlier document passes with the state named.
        #expect(try world.run(["seal", "suspend", "bureau-b"] + b.database).status == 0)
        let suspended = try Self.sealStatus(world, docB1, services: services)
        #expect(suspended.check["status"] as? String == "passed")
        #expect((suspended.check["reason"] as? String)?.contains("suspended") == true, "\(suspended.check)")

        // An unreachable service: indeterminate with the reason, never a pass.
        let unreachable = try Self.sealStatus(world, docB1, services: ["http://127.0.0.1:1"])
        #expect(unreachable.check["status"] as? String == "indeterminate", "\(unreachable.check)")
        #expect((unreachable.check["reason"] as? String)?.contains("unreachable") == true)
        #expect(unreachable.status == 2)

        // SIGTERM shuts both servers down gracefully.
        #expect(a.server.stop() == 0)
        #expect(b.server.stop() == 0)
    }

    @Test func serveRefusesToListenBeyondLoopbackWithoutTLS() throws {
        let world = try CLIWorld.require()
        let refused = try world.run(["serve", "--listen", "0.0.0.0:0", "--database-url", "postgresql://127.0.0.1:1/none"])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("--tls-cert") && refused.stderr.contains("--tls-key"), "\(refused.stderr)")
        Leaks.check(refused.stderr)
    }

    @Test func auditVerifyNamesTheFirstBrokenCheckpoint() throws {
        let world = try CLIWorld.require()
        let url = try TestPostgres.shared.makeDatabase(prefix: "cli_checkpoints")
        let database = ["--database-url", url]
        #expect(try world.run(["migrate"] + database).status == 0)
        let connection = try PGConnection(url)
        defer { connection.close() }
        let key = Self.statusKey(world, "ecdsa-signer")
        let folder = try world.folder("checkpoints")
        let published = folder.appendingPathComponent("checkpoints.json").path
        for round in 0..<3 {
            for _ in 0..<3 {
                try connection.query(
                    """
                    INSERT INTO sealpress.usage_log (sequence, job_id, principal, seal, es_id, certificate_serial, format,
                        document_before, document_after, signed_at, timestamp_token_hash, host, previous_hash, row_hash)
                    VALUES (0, NULL, 'office', 'bureau', 'CLI-TEST-1', '0A', 'pdf', repeat('a', 64), repeat('b', 64),
                        now(), NULL, 'worker-1', '', '')
                    """)
            }
            let taken = try world.run(["audit", "checkpoint", "--status-key", key, "--out", published] + database)
            #expect(taken.status == 0, "\(taken.stderr)")
            #expect(taken.stdout.contains("\((round + 1) * 3) row(s)"), "\(taken.stdout)")
        }
        let trust = ["--status-trust", world.roots]
        let intact = try world.run(["audit", "verify", "--checkpoints", published] + trust + database)
        #expect(intact.status == 0, "\(intact.stdout) \(intact.stderr)")
        #expect(intact.stdout.contains("extends all 3 checkpoint(s)"), "\(intact.stdout)")

        // Served by `serve` too, and read from its URL.
        let server = try ServeProcess(world.binary, database)
        defer { server.stop() }
        let served = try world.run(["audit", "verify", "--checkpoints", server.baseURL] + trust + database)
        #expect(served.status == 0, "\(served.stdout) \(served.stderr)")

        // The database superuser edits row 5 and deletes the last two rows: checkpoint 2 (row 6) is the first broken.
        try connection.execute("SET session_replication_role = replica")
        try connection.execute("UPDATE sealpress.usage_log SET principal = 'mallory' WHERE sequence = 5")
        try connection.execute("DELETE FROM sealpress.usage_log WHERE sequence > 7")
        try connection.execute("SET session_replication_role = origin")
        let broken = try world.run(["audit", "verify", "--checkpoints", published, "--json"] + trust + database)
        #expect(broken.status == 1, "\(broken.stdout) \(broken.stderr)")
        let json = try broken.stdout.jsonObject()
        #expect(json["intact"] as? Bool == false)
        #expect((json["firstBrokenCheckpoint"] as? Int) == 2, "\(json)")
        #expect((json["reason"] as? String)?.contains("row 5") == true, "\(json)")
        let text = try world.run(["audit", "verify", "--checkpoints", server.baseURL] + trust + database)
        #expect(text.status == 1)
        #expect(text.stdout.contains("BROKEN at checkpoint 2 (row 6"), "\(text.stdout)")
    }
}
