import Foundation
import Postgres
import SealCrypto
import SealNetClient
import SealPipeline
import SealTestSupport
import Testing

/// A complete pipeline installation for process-level tests: a migrated database, a demo PKI, seals made with
/// `sealpress seal make` and registered with `sealpress seal register`, grants, and a pipelines directory.
final class PipelineWorld: @unchecked Sendable {
    let url: String
    let directory: URL
    let binary: URL
    let pki: DemoPKI
    var roots: URL { directory.appendingPathComponent("pki/roots.pem") }
    var rsaRoot: URL { directory.appendingPathComponent("pki/rsa-root.cert.pem") }
    var pipelines: URL { directory.appendingPathComponent("pipelines") }
    private(set) var workers: [ChildProcess] = []
    let tsaURL: String
    let tsa: ChildProcess

    /// Seals: `bureau` (SM2, valid), `rsa-bureau` (RSA key, for pyHanko), `old-seal` (expired 2021), `paused`
    /// (suspended). Principal `licence-office` holds grants on all of them; `intruder` on none.
    init() throws {
        guard let binary = TestBinaries.sealpress else {
            throw PipelineTestError("the sealpress binary is not built (swift build --build-tests builds it)")
        }
        self.binary = binary
        url = try TestPostgres.shared.makeDatabase(prefix: "pipeline_e2e")
        directory = try TestEnvironment.temporaryDirectory("pipeline-e2e")
        pki = try DemoPKI.make()
        let pkiDirectory = directory.appendingPathComponent("pki")
        try pki.write(to: pkiDirectory)
        // A loopback RFC 3161 TSA (`sealpress tsa serve`) for the timestamped pipeline.
        let tsaPort = 20_000 + Int.random(in: 0..<20_000)
        tsaURL = "http://127.0.0.1:\(tsaPort)/"
        tsa = try ChildProcess(binary, [
            "tsa", "serve", "--port", String(tsaPort), "--key", pkiDirectory.appendingPathComponent("tsa.key.pem").path,
            "--cert", pkiDirectory.appendingPathComponent("tsa.cert.pem").path,
        ])
        let client = TimeStampClient(url: URL(string: tsaURL)!, timeoutSeconds: 2)
        var tsaReady = false
        for _ in 0..<100 where !tsaReady {
            tsaReady = (try? client.timeStampToken(digest: Digest.hash(.sha256, [1]), algorithm: .sha256)) != nil
            if !tsaReady { usleep(100_000) }
        }
        guard tsaReady else { throw PipelineTestError("the loopback TSA did not start: \(tsa.log)") }
        try run(["migrate"])
        let picture = try Self.fixture("seal-400.png").path
        func makeSeal(_ name: String, esid: String, signer: String, from: String, to: String) throws -> String {
            let out = directory.appendingPathComponent("\(name).esl").path
            try run([
                "seal", "make", "--name", "测试章-\(name)", "--type", "1", "--esid", esid, "--picture", picture,
                "--width-mm", "40", "--height-mm", "40", "--signer-cert", pkiDirectory.appendingPathComponent("\(signer).cert.pem").path,
                "--maker-key", pkiDirectory.appendingPathComponent("seal-maker.key.pem").path,
                "--maker-cert", pkiDirectory.appendingPathComponent("seal-maker.cert.pem").path, "--valid-from", from,
                "--valid-to", to, "--out", out, "--force",  // --force: old-seal is made expired on purpose
            ], database: false)
            return out
        }
        func keyRef(_ signer: String) -> String {
            "file:\(pkiDirectory.path)/\(signer).key.pem?cert=\(pkiDirectory.path)/\(signer).cert.pem"
        }
        let seals: [(name: String, signer: String, from: String, to: String)] = [
            ("bureau", "sm2-signer", "2025-01-01", "2035-12-31"), ("rsa-bureau", "rsa-signer", "2025-01-01", "2035-12-31"),
            ("old-seal", "sm2-signer", "2019-01-01", "2021-12-31"), ("paused", "sm2-signer", "2025-01-01", "2035-12-31"),
        ]
        for seal in seals {
            let esl = try makeSeal(seal.name, esid: "E2E-\(seal.name.uppercased())", signer: seal.signer, from: seal.from, to: seal.to)
            // --force: the expired seal and grants wider than a seal's validity are wanted here (pre-flight refusals).
            try run(["seal", "register", "--name", seal.name, "--esl", esl, "--key-ref", keyRef(seal.signer), "--owner", "测试局", "--force"])
            try run(["seal", "grant", seal.name, "--principal", "licence-office", "--from", "2019-01-01", "--to", "2035-12-31", "--force"])
        }
        try run(["seal", "suspend", "paused", "--reason", "key holder on leave"])
        try FileManager.default.createDirectory(at: pipelines, withIntermediateDirectories: true)
        let pipelineFiles: [(String, String)] = [
            ("licence", "seal: bureau\nplacements:\n  - page: last\n    x_mm: 130\n    y_mm: 30\n    width_mm: 40\nformats:\n  pdf: pades-b-b\n  ofd: ses\n"),
            ("customs", "seal: bureau\nplacements:\n  - page: every\n    x_mm: 150\n    y_mm: 20\n    width_mm: 35\nformats:\n  pdf: sm2\n  ofd: ses\nlock: ofd\n"),
            ("licence-rsa", "seal: rsa-bureau\nplacements:\n  - page: first\n    x_mm: 20\n    y_mm: 20\nformats:\n  pdf: pades-b-b\n"),
            ("expired", "seal: old-seal\nplacements:\n  - page: last\n    x_mm: 20\n    y_mm: 20\n"),
            ("repair", "seal: bureau\nplacements:\n  - page: last\n    x_mm: 20\n    y_mm: 20\nallow_repair: true\n"),
            ("suspended", "seal: paused\nplacements:\n  - page: last\n    x_mm: 20\n    y_mm: 20\n"),
            ("timestamped", "seal: bureau\nplacements:\n  - page: 1\n    x_mm: 20\n    y_mm: 200\nformats:\n  pdf: pades-b-t\n  ofd: ses\ntsa: \(tsaURL)\n"),
        ]
        for (name, body) in pipelineFiles {
            try Data("name: \(name)\n\(body)verify_after_signing: true\n".utf8)
                .write(to: pipelines.appendingPathComponent("\(name).yaml"))
        }
    }

    static func fixture(_ name: String) throws -> URL {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw PipelineTestError("no Fixtures in the test bundle")
        }
        return folder.appendingPathComponent(name)
    }

    /// Runs `sealpress ARGS --database-url URL`; throws unless it exits with `expect`.
    @discardableResult
    func run(_ arguments: [String], database: Bool = true, expect: Int32 = 0) throws -> String {
        var full = arguments
        if database { full += ["--database-url", url] }
        let result = try TestEnvironment.run(binary, full)
        guard result.status == expect else {
            throw PipelineTestError("sealpress \(arguments.prefix(3).joined(separator: " ")) exited \(result.status): \(result.stderr.suffix(800))")
        }
        return result.stdout
    }

    /// Starts a `sealpress worker` process.
    @discardableResult
    func startWorker(
        name: String, concurrency: Int = 2, exitWhenIdle: Bool = false, environment: [String: String] = [:],
        extraArguments: [String] = []
    ) throws -> ChildProcess {
        var arguments = [
            "worker", "--database-url", url, "--pipelines", pipelines.path, "--trust", roots.path,
            "--concurrency", String(concurrency), "--id", name, "--heartbeat-seconds", "0.5",
            "--rescue-after-seconds", "3", "--poll-seconds", "0.5", "--backoff-base", "200ms", "--log-level", "notice",
        ]
        if exitWhenIdle { arguments.append("--exit-when-idle") }
        arguments += extraArguments
        let child = try ChildProcess(binary, arguments, environment: environment)
        workers.append(child)
        return child
    }

    func connect() throws -> PGConnection { try PGConnection(url) }

    deinit {
        for worker in workers { worker.kill(SIGKILL) }
        tsa.kill(SIGKILL)
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A child process with its output in a temporary file.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let logFile: URL

    init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("sealpress-child-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    func kill(_ signal: Int32) { if process.isRunning { Foundation.kill(process.processIdentifier, signal) } }

    /// Waits for exit; returns the status, or nil on timeout (the process is then killed).
    @discardableResult
    func wait(timeout: Double) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logFile)
    }
}

struct PipelineTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
