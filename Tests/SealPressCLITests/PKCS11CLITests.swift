import Foundation
import Postgres
import SealTestSupport
import Testing

/// Keys in a SoftHSM2 token, used through the `sealpress` binary: `stamp --key pkcs11:…` (PAdES and pkcs7, RSA
/// and ECDSA, judged by pyHanko), `seal register --key-ref pkcs11:…` and a worker stamping a job with it — and
/// the PIN nowhere: not in the worker's argv or environment, its log, or the database.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built"))
struct PKCS11CLITests {
    /// A token of its own (each binary run reads SOFTHSM2_CONF) holding the demo PKI's RSA and ECDSA signers.
    private static func token(_ world: CLIWorld, _ folder: URL) throws -> SoftHSMToken {
        let token = try SoftHSMToken(label: "cli-seals", parent: folder)
        try token.importKey(
            keyPEM: world.path("pki/rsa-signer.key.pem"), certificatePEM: world.path("pki/rsa-signer.cert.pem"),
            object: "tax-seal", idHex: "01")
        try token.importKey(
            keyPEM: world.path("pki/ecdsa-signer.key.pem"), certificatePEM: world.path("pki/ecdsa-signer.cert.pem"),
            object: "customs-seal", idHex: "02")
        return token
    }

    /// A seal that lists both token certificates, made by the (file) seal maker.
    private static func seal(_ world: CLIWorld, _ folder: URL) throws -> String {
        let esl = folder.appendingPathComponent("token-seal.esl").path
        let made = try world.run([
            "seal", "make", "--name", "令牌章", "--type", "1", "--esid", "PKCS11-CLI-\(UUID().uuidString.prefix(6))",
            "--picture", CLIWorld.fixture("seal.png").path, "--width-mm", "40", "--height-mm", "40",
            "--signer-cert", world.path("pki/rsa-signer.cert.pem"), "--signer-cert", world.path("pki/ecdsa-signer.cert.pem"),
            "--maker-key", world.path("pki/seal-maker.key.pem"), "--maker-cert", world.path("pki/seal-maker.cert.pem"),
            "--valid-from", "2020-01-01", "--valid-to", "2099-12-31", "--out", esl,
        ])
        guard made.status == 0 else { throw CLITestError("seal make: \(made.stderr)") }
        return esl
    }

    @Test(.softHSM, .peer("pyhanko") { TestEnvironment.executable("pyhanko") != nil })
    func stampsPDFsWithTokenKeysThatPyHankoTrusts() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("pkcs11-stamp")
        let token = try Self.token(world, folder)
        let esl = try Self.seal(world, folder)
        for (object, id) in [("tax-seal", "01"), ("customs-seal", "02")] {
            for format in ["pades-b-b", "pkcs7"] {
                let output = folder.appendingPathComponent("\(object)-\(format).pdf")
                let stamped = try world.run(
                    ["stamp", world.samplePDF, output.path, "--seal", esl, "--key", token.uri(object: object, idHex: id),
                     "--format", format],
                    environment: token.environment)
                #expect(stamped.status == 0, "\(object) \(format): \(stamped.stderr)")
                #expect(!(stamped.stdout + stamped.stderr).contains(token.pin))
                guard stamped.status == 0 else { continue }
                let verified = try world.run(["verify", output.path, "--trust", world.roots])
                #expect(verified.status == 0, "\(object) \(format): \(verified.stdout)")
                guard TestEnvironment.peerAvailable("pyhanko", TestEnvironment.executable("pyhanko") != nil) else { continue }
                let pyhanko = try TestEnvironment.run(TestEnvironment.executable("pyhanko")!, [
                    "sign", "validate", "--trust", world.path("pki/rsa-root.cert.pem"), "--trust-replace",
                    "--no-revocation-check", output.path,
                ])
                #expect(pyhanko.status == 0 && pyhanko.stdout.contains(":INTACT:TRUSTED,UNTOUCHED"),
                        "\(object) \(format): \(pyhanko.stdout) \(pyhanko.stderr)")
            }
        }
        // Pre-flight: a token key whose certificate the seal does not list is refused before anything is written.
        let otherSeal = world.path("seal.esl")  // lists only the SM2 signer
        let refusedOutput = folder.appendingPathComponent("refused.pdf").path
        let refused = try world.run(
            ["stamp", world.samplePDF, refusedOutput, "--seal", otherSeal, "--key", token.uri(object: "tax-seal", idHex: "01")],
            environment: token.environment)
        #expect(refused.status != 0)
        #expect(!FileManager.default.fileExists(atPath: refusedOutput))
        // A PIN in the reference is refused without being echoed.
        let withPIN = try world.run(
            ["stamp", world.samplePDF, refusedOutput, "--seal", esl,
             "--key", "pkcs11:token=cli-seals;object=tax-seal?module-path=\(token.module)&pin-value=\(token.pin)"],
            environment: token.environment)
        #expect(withPIN.status != 0)
        #expect(withPIN.stderr.contains("pin-source"), "\(withPIN.stderr)")
        #expect(!withPIN.stderr.contains(token.pin))
        token.remove()
    }

    @Test(.softHSM) func aWorkerStampsAJobWithATokenKeyAndThePINIsNowhere() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("pkcs11-worker")
        let token = try Self.token(world, folder)
        let esl = try Self.seal(world, folder)
        let url = try TestPostgres.shared.makeDatabase(prefix: "cli_pkcs11")
        let database = ["--database-url", url]
        #expect(try world.run(["migrate"] + database).status == 0)

        let keyRef = token.uri(object: "tax-seal", idHex: "01")
        let registered = try world.run(
            ["seal", "register", "--name", "token-seal", "--esl", esl, "--key-ref", keyRef, "--owner", "测试局"] + database,
            environment: token.environment)
        #expect(registered.status == 0, "\(registered.stderr)")
        #expect(try world.run(["seal", "grant", "token-seal", "--principal", "office", "--to", "2090-12-31"] + database).status == 0)
        // A reference whose key the seal does not list is refused at registration.
        let wrong = try world.run(
            ["seal", "register", "--name", "wrong-seal", "--esl", world.path("seal.esl"), "--key-ref", keyRef, "--owner", "x"]
                + database, environment: token.environment)
        #expect(wrong.status != 0)

        let pipelines = try world.writePipeline("token-licence", seal: "token-seal", in: folder)
        let documents = folder.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: world.samplePDF, toPath: documents.appendingPathComponent("a.pdf").path)
        let enqueued = try world.run(
            ["enqueue", "stamp", "--pipeline", "token-licence", "--principal", "office", "--batch", "token-batch",
             "--pipelines", pipelines.path, documents.path] + database)
        #expect(enqueued.status == 0, "\(enqueued.stderr)")

        // The worker runs with the token's configuration only; the PIN is in the 0400 file the URI names.
        let log = folder.appendingPathComponent("worker.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let worker = Process()
        worker.executableURL = world.binary
        worker.arguments = ["worker", "--pipelines", pipelines.path, "--concurrency", "2", "--trust", world.roots,
                            "--log-level", "debug"] + database
        worker.environment = ProcessInfo.processInfo.environment.merging(token.environment) { $1 }
        worker.standardOutput = handle
        worker.standardError = handle
        try worker.run()
        defer { if worker.isRunning { worker.terminate() } }

        let connection = try PGConnection(url)
        defer { connection.close() }
        var state = ""
        for _ in 0..<300 {
            state = try connection.query("SELECT state::text FROM sealpress.jobs LIMIT 1").first?.string(0) ?? ""
            if state == "completed" || state == "discarded" { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(state == "completed", "\(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")

        // While the worker runs with the token key open: its argv and environment hold no PIN.
        let pid = worker.processIdentifier
        let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
        #expect(!cmdline.isEmpty && !environ.isEmpty)
        let pin = Data(token.pin.utf8)
        #expect(cmdline.range(of: pin) == nil)
        #expect(environ.range(of: pin) == nil)
        worker.terminate()
        worker.waitUntilExit()
        try handle.close()
        let logText = try Data(contentsOf: log)
        #expect(!logText.isEmpty)
        #expect(logText.range(of: pin) == nil)

        // Nor any table: jobs, seals (the key reference is stored, not the PIN), registry events, usage log.
        let rows = try connection.query("""
            SELECT coalesce(string_agg(t, E'\\n'), '') FROM (
              SELECT j::text AS t FROM sealpress.jobs j UNION ALL SELECT s::text FROM sealpress.seals s
              UNION ALL SELECT e::text FROM sealpress.registry_events e UNION ALL SELECT u::text FROM sealpress.usage_log u) x
            """).first?.string(0) ?? ""
        #expect(rows.contains("pkcs11:token=cli-seals"))  // the reference is what the registry keeps
        #expect(!rows.contains(token.pin))

        // The output is a PAdES signature by the token's key.
        let exported = folder.appendingPathComponent("export")
        #expect(try world.run(["export", "--batch", "token-batch", "--out", exported.path] + database).status == 0)
        let signed = try FileManager.default.contentsOfDirectory(atPath: exported.path).filter { $0.hasSuffix(".pdf") }
        #expect(signed.count == 1)
        if let name = signed.first {
            let verified = try world.run(["verify", exported.appendingPathComponent(name).path, "--trust", world.roots])
            #expect(verified.status == 0, "\(verified.stdout)")
        }
        token.remove()
    }
    @Test(.softHSM) func benchStampTakesATokenKeyReference() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("pkcs11-bench")
        let token = try Self.token(world, folder)
        defer { token.remove() }
        // A 0.2-second run: checks the command signs through the token, not a measurement.
        let result = try world.run(
            ["bench", "stamp", "--file", world.samplePDF, "--seconds", "0.2", "--peer", "none", "--json",
             "--key-ref", token.uri(object: "customs-seal", idHex: "02")],
            environment: token.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((object["algorithm"] as? String)?.hasPrefix("pkcs11 ") == true, "\(object)")
        #expect((object["docs"] as? Int ?? 0) > 0)
        #expect(object["pyhankoDocsPerSecond"] == nil)
    }
    @Test(.softHSM) func sealMakeSignsWithAMakerKeyInAToken() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("pkcs11-maker")
        let token = try Self.token(world, folder)
        defer { token.remove() }
        let esl = folder.appendingPathComponent("maker-in-token.esl").path
        // The ECDSA token key makes the seal (its certificate comes from the token: no --maker-cert).
        let made = try world.run([
            "seal", "make", "--name", "令牌制章", "--type", "1", "--esid", "PKCS11-MAKER-1",
            "--picture", CLIWorld.fixture("seal.png").path, "--width-mm", "40", "--height-mm", "40",
            "--signer-cert", world.path("pki/rsa-signer.cert.pem"),
            "--maker-key", token.uri(object: "customs-seal", idHex: "02"),
            "--valid-from", "2020-01-01", "--valid-to", "2099-12-31", "--out", esl,
        ], environment: token.environment)
        #expect(made.status == 0, "\(made.stderr)")
        // The seal policy checks the maker's signature before stamping: a stamp with the seal proves it verifies.
        let output = folder.appendingPathComponent("stamped.pdf").path
        let stamped = try world.run(
            ["stamp", world.samplePDF, output, "--seal", esl, "--key", token.uri(object: "tax-seal", idHex: "01")],
            environment: token.environment)
        #expect(stamped.status == 0, "\(stamped.stderr)")
        // A file maker key still needs its certificate.
        let noCert = try world.run([
            "seal", "make", "--name", "x", "--type", "1", "--esid", "X", "--picture", CLIWorld.fixture("seal.png").path,
            "--width-mm", "40", "--height-mm", "40", "--signer-cert", world.path("pki/rsa-signer.cert.pem"),
            "--maker-key", world.path("pki/seal-maker.key.pem"), "--valid-from", "2020-01-01", "--valid-to", "2099-12-31",
            "--out", folder.appendingPathComponent("x.esl").path,
        ])
        #expect(noCert.status != 0)
    }
}
