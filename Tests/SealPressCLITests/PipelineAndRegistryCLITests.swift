import Foundation
import SealTestSupport
import Testing

/// `sealpress pipeline check`, `worker` start-up and the registry commands as a user runs them.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct PipelineAndRegistryCLITests {
    private static let valid = "seal: bureau\nplacements:\n  - page: last\n    x_mm: 20\n    y_mm: 20\n"

    private static func write(_ files: [String: String], in folder: URL) throws {
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
    }

    @Test func checkAndWorkerRefuseTheSamePipelines() throws {
        let world = try CLIWorld.require()
        let cases: [(name: String, files: [String: String], message: String)] = [
            ("duplicate", ["a.yaml": "name: same\n" + Self.valid, "b.yaml": "name: same\n" + Self.valid], "duplicate pipeline name"),
            ("lock", ["c.yaml": "name: locked\n" + Self.valid.replacingOccurrences(of: "page: last", with: "page: every") + "lock: true\n"],
             "lock: true"),
        ]
        for item in cases {
            let folder = try world.folder(item.name)
            try Self.write(item.files, in: folder)
            let check = try world.run(["pipeline", "check", folder.path])
            #expect(check.status == 1, "\(item.name): \(check.stdout)")
            #expect(check.stdout.contains(item.message), "\(item.name): \(check.stdout)")
            // The worker loads pipelines before it touches the database: an unreachable URL is never used.
            let worker = try world.run([
                "worker", "--pipelines", folder.path, "--database-url", "postgresql://127.0.0.1:1/none", "--exit-when-idle",
            ])
            #expect(worker.status == 3, "\(item.name): \(worker.stderr)")
            #expect(worker.stderr.contains(item.message), "\(item.name): \(worker.stderr)")
        }
        // lock: ofd with every page is fine for both; so is lock: true with one placement.
        let folder = try world.folder("fine")
        try Self.write([
            "d.yaml": "name: ofd-lock\n" + Self.valid.replacingOccurrences(of: "page: last", with: "page: every") + "lock: ofd\n",
            "e.yaml": "name: one\n" + Self.valid + "lock: true\nallow_repair: true\n",
        ], in: folder)
        let check = try world.run(["pipeline", "check", folder.path, "--json"])
        #expect(check.status == 0, "\(check.stdout)")
        let json = try check.stdout.jsonObject()
        #expect(json["valid"] as? Bool == true)
        let pipelines = try #require(json["pipelines"] as? [[String: Any]])
        let ofdLock = try #require(pipelines.first { $0["name"] as? String == "ofd-lock" })
        #expect(ofdLock["lock"] as? Bool == true && ofdLock["lockPDF"] as? Bool == false)
        #expect(pipelines.first { $0["name"] as? String == "one" }?["allowRepair"] as? Bool == true)
    }

    @Test func registryRefusesExpiredSealsAndGrantsBeyondTheSealsValidity() throws {
        let world = try CLIWorld.require()
        let url = try TestPostgres.shared.makeDatabase(prefix: "cli_registry")
        let database = ["--database-url", url]
        #expect(try world.run(["migrate"] + database).status == 0)
        let folder = try world.folder("registry")
        func make(_ name: String, to: String) throws -> String {
            let out = folder.appendingPathComponent("\(name).esl").path
            let made = try world.run([
                "seal", "make", "--name", name, "--type", "1", "--esid", name.uppercased(), "--picture", CLIWorld.fixture("seal.png").path,
                "--width-mm", "40", "--height-mm", "40", "--signer-cert", world.path("pki/sm2-signer.cert.pem"),
                "--maker-key", world.path("pki/seal-maker.key.pem"), "--maker-cert", world.path("pki/seal-maker.cert.pem"),
                "--valid-from", "2020-01-01", "--valid-to", to, "--out", out, "--force",
            ])
            #expect(made.status == 0, "\(made.stderr)")
            return out
        }
        let keyRef = "file:\(world.path("pki/sm2-signer.key.pem"))?cert=\(world.path("pki/sm2-signer.cert.pem"))"
        func register(_ name: String, _ esl: String, _ extra: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
            try world.run(["seal", "register", "--name", name, "--esl", esl, "--key-ref", keyRef, "--owner", "测试局"] + database + extra)
        }
        let expired = try make("expired", to: "2021-12-31")
        let refused = try register("expired", expired)
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("expired") && refused.stderr.contains("--force"), "\(refused.stderr)")
        Leaks.check(refused.stderr)
        #expect(try register("expired", expired, ["--force"]).status == 0)

        let current = try make("current", to: "2040-12-31")
        #expect(try register("current", current).status == 0)
        let beyond = try world.run(["seal", "grant", "current", "--principal", "p", "--to", "2045-12-31"] + database)
        #expect(beyond.status == 3)
        #expect(beyond.stderr.contains("validity") && beyond.stderr.contains("--force"), "\(beyond.stderr)")
        Leaks.check(beyond.stderr)
        #expect(try world.run(["seal", "grant", "current", "--principal", "p", "--to", "2040-12-31"] + database).status == 0)
        #expect(try world.run(["seal", "grant", "current", "--principal", "q", "--to", "2045-12-31", "--force"] + database).status == 0)
        let onExpired = try world.run(["seal", "grant", "expired", "--principal", "p", "--to", "2030-12-31"] + database)
        #expect(onExpired.status == 3)
        #expect(onExpired.stderr.contains("expired"))

        // keys generate never replaces a registered seal's key, even with --force.
        let registeredKey = world.path("pki/sm2-signer.key.pem")
        let before = try String(contentsOfFile: registeredKey, encoding: .utf8)
        let regenerate = try world.run(["keys", "generate", "--out", registeredKey, "--force"] + database)
        #expect(regenerate.status == 3)
        #expect(regenerate.stderr.contains("registered seal"), "\(regenerate.stderr)")
        #expect(try String(contentsOfFile: registeredKey, encoding: .utf8) == before)
    }
    /// A worker whose wall clock runs 90 s behind (libfaketime) stamps the job of a grant made just now: pre-flight
    /// and the signing time use the database's clock. Before, that worker discarded the job as `sealRefused`
    /// ("holds no grant … at this time") — found by the chaos suite's clock-offset fault.
    @Test(.peerExecutable("faketime")) func aWorkerWhoseClockIsBehindHonoursAGrantMadeJustNow() throws {
        guard TestEnvironment.peerAvailable("faketime", TestEnvironment.executable("faketime") != nil),
            let faketime = TestEnvironment.executable("faketime")
        else { return }
        let world = try CLIWorld.require()
        let url = try TestPostgres.shared.makeDatabase(prefix: "cli_clock")
        let database = ["--database-url", url]
        #expect(try world.run(["migrate"] + database).status == 0)
        let folder = try world.folder("clock")
        let esl = folder.appendingPathComponent("clock.esl").path
        let made = try world.run([
            "seal", "make", "--name", "时钟测试章", "--type", "1", "--esid", "CLOCK-0001", "--picture",
            CLIWorld.fixture("seal.png").path, "--width-mm", "40", "--height-mm", "40",
            "--signer-cert", world.path("pki/sm2-signer.cert.pem"), "--maker-key", world.path("pki/seal-maker.key.pem"),
            "--maker-cert", world.path("pki/seal-maker.cert.pem"), "--valid-from", "2020-01-01", "--valid-to", "2040-12-31",
            "--out", esl,
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let keyRef = "file:\(world.path("pki/sm2-signer.key.pem"))?cert=\(world.path("pki/sm2-signer.cert.pem"))"
        #expect(try world.run(["seal", "register", "--name", "clock-seal", "--esl", esl, "--key-ref", keyRef,
                               "--owner", "测试局"] + database).status == 0)
        // The grant starts now; the worker below believes it is 90 seconds earlier.
        #expect(try world.run(["seal", "grant", "clock-seal", "--principal", "office", "--to", "2040-12-31"]
            + database).status == 0)
        let pipelines = try world.writePipeline("clock", seal: "clock-seal", in: folder)
        let environment = ["SEALPRESS_PIPELINES": pipelines.path]
        let enqueued = try world.run(["enqueue", "stamp", "--pipeline", "clock", "--principal", "office", "--batch",
                                      "clock", world.samplePDF] + database, environment: environment)
        #expect(enqueued.status == 0, "\(enqueued.stderr)")
        let worker = try TestEnvironment.run(faketime, [
            "-f", "-90s", world.binary.path, "worker", "--exit-when-idle", "--idle-wait", "0s", "--concurrency", "1",
            "--trust", world.roots, "--pipelines", pipelines.path, "--log-level", "warning",
        ] + database, environment: ["FAKETIME_DONT_FAKE_MONOTONIC": "1"])
        #expect(worker.status == 0, "\(worker.stderr)")
        #expect(worker.stdout.contains("1 completed"), "\(worker.stdout) \(worker.stderr)")
        #expect(!worker.stderr.contains("sealRefused"), "\(worker.stderr)")
    }
}
