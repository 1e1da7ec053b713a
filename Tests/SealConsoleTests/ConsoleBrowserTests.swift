import Foundation
import Hummingbird
import HummingbirdTesting
import Postgres
import SealConsole
import SealPipeline
import SealQueue
import SealReport
import SealTestSupport
import Testing

/// The console in Debian's headless `chromium`, driven by Selenium through `chromium-driver`: log in, watch a
/// batch progress while a `sealpress worker` runs, retry a discarded job, suspend a seal, upload a tampered PDF.
/// Screenshots go to `.build/console-screenshots/` (not in git).
@Suite struct ConsoleBrowserTests {
    static let browserAvailable: @Sendable () -> Bool = {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
            && TestEnvironment.executable("chromedriver") != nil && TestEnvironment.pythonHasModules(["selenium"])
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var screenshotDirectory: URL {
        repositoryRoot.appendingPathComponent(".build/console-screenshots", isDirectory: true)
    }

    /// The fixture PDF with one byte changed in the middle of its largest stream inside the first signature's
    /// byte range (bytes 2499…57707 of the file's first 59580): both signatures' digests no longer match.
    static func tamperedPDF() throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/pyhanko-signed-twice", withExtension: "pdf"))
        var bytes = Array(try Data(contentsOf: url))
        try #require(bytes.count > 100_000)
        bytes[(2499 + 57707) / 2] ^= 0x01
        return bytes
    }

    @Test(.peer("chromium, chromium-driver and Selenium", browserAvailable), .timeLimit(.minutes(5)))
    func anOperatorWorksThroughTheConsoleInABrowser() async throws {
        guard TestEnvironment.peerAvailable("chromium, chromium-driver and Selenium", Self.browserAvailable()) else { return }
        let world = try ConsoleWorld.make()
        try world.registerSeal(name: "bureau", sealName: "<script>alert('seal')</script>某某市公章")
        try world.withConnection { db in
            try JobQueue(connection: db).enqueueMany(
                kind: "noop", argsJSON: Array(repeating: #"{"sleep_ms": 900}"#, count: 5), batchLabel: "nightly")
        }
        let discarded = try world.discardedJob(batch: "failed-batch")
        let tampered = try Self.tamperedPDF()
        let report = DocumentVerification.verify(tampered, format: .pdf, trust: nil)
        #expect(report.verdict.indication == .failed)
        let shots = Self.screenshotDirectory
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let work = try TestEnvironment.temporaryDirectory("sealpress-console-browser")
        let tamperedPath = work.appendingPathComponent("tampered.pdf")
        try Data(tampered).write(to: tamperedPath)

        let binary = try #require(TestBinaries.sealpress, "the sealpress executable is built by swift build --build-tests")
        // The script starts the worker once it has logged in (a slow browser start cannot miss the progress).
        let workerArguments = [
            binary.path, "worker", "--database-url", world.url, "--concurrency", "1", "--poll-seconds", "0.5",
            "--promote-seconds", "0.05", "--log-level", "error",
            "--pipelines", Self.repositoryRoot.appendingPathComponent("Pipelines").path,
        ]

        let result = try await world.application().test(.live) { client in
            let port = try #require(client.port)
            let config: [String: Any] = [
                "base": "http://127.0.0.1:\(port)", "shots": shots.path, "account": "admin1",
                "password": ConsoleWorld.password, "batch": "nightly", "discarded_job": discarded, "seal": "bureau",
                "tampered": tamperedPath.path, "worker_argv": workerArguments,
            ]
            let json = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
            let script = try #require(Bundle.module.url(forResource: "Fixtures/console_browser", withExtension: "py"))
            return try await Self.runPython(script.path, json, log: shots.appendingPathComponent("browser.log"))
        }
        let out = try #require(
            try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any], "script output: \(result)")

        #expect((out["redirected_to"] as? String)?.hasSuffix("/console/login") == true)
        #expect((out["after_login"] as? String)?.contains("Batches") == true)
        let progress = out["progress"] as? [String] ?? []
        #expect(progress.count >= 2, "the page showed the batch's progress moving: \(progress)")
        #expect(progress.first == "0/5", "the page showed the batch before the worker started: \(progress)")
        #expect(progress.last == "5/5", "\(progress)")
        #expect((out["job_state_before"] as? String) == "discarded")
        #expect((out["job_errors"] as? String)?.contains("<b>boom</b>") == true)
        #expect((out["confirm_text"] as? String)?.contains("Run discarded job") == true)
        #expect((out["notice"] as? String)?.contains("queued again") == true)
        #expect((out["job_state_after"] as? String) != "discarded")
        #expect((out["seal_name_text"] as? String)?.contains("<script>alert('seal')</script>") == true)
        #expect((out["seal_state"] as? String) == "suspended")
        let reportText = out["report_text"] as? String ?? ""
        #expect(reportText.lowercased().contains("failed"), "\(reportText.prefix(600))")
        #expect(reportText.contains("the signed bytes changed after signing"),
                "the report gives the reason: \(reportText.prefix(600))")

        // The suspended seal refuses the next stamp at pre-flight.
        let (seal, grants, _) = try world.withConnection { try SealRegistry().preflightData(seal: "bureau", principal: "p", on: $0) }
        #expect(throws: StampRefusal(.sealSuspended, "")) {
            try Preflight.check(seal: seal, sealName: "bureau", grants: grants, principal: "p", pipeline: "x", at: Date()).get()
        }
        for name in ["batches-1.png", "job-discarded.png", "job-retried.png", "seals.png", "report.png", "console.png"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: shots.appendingPathComponent(name).path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "screenshot \(name)")
        }
        world.console.shutdown()
        try? FileManager.default.removeItem(at: work)
    }

    /// Runs the Selenium script with its output in files (no pipe a lingering browser could hold open); kills it
    /// after `timeout` seconds. Returns the last line of its standard output, or a JSON object with the error.
    static func runPython(_ script: String, _ config: String, log: URL, timeout: Double = 240) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    let outFile = log.appendingPathExtension("out")
                    FileManager.default.createFile(atPath: outFile.path, contents: nil)
                    FileManager.default.createFile(atPath: log.path, contents: nil)
                    let process = Process()
                    process.executableURL = TestEnvironment.executable("python3") ?? URL(fileURLWithPath: "/usr/bin/python3")
                    process.arguments = [script, config]
                    process.standardOutput = try FileHandle(forWritingTo: outFile)
                    process.standardError = try FileHandle(forWritingTo: log)
                    process.standardInput = FileHandle.nullDevice
                    try process.run()
                    let deadline = Date(timeIntervalSinceNow: timeout)
                    while process.isRunning, Date() < deadline { usleep(100_000) }
                    if process.isRunning {
                        kill(process.processIdentifier, SIGKILL)
                        while process.isRunning { usleep(20_000) }
                    }
                    let text = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
                    let errors = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                    if let line = text.split(separator: "\n").last, process.terminationStatus == 0 {
                        continuation.resume(returning: String(line))
                    } else {
                        let data = try JSONSerialization.data(withJSONObject: ["error": String(errors.suffix(3000))])
                        continuation.resume(returning: String(decoding: data, as: UTF8.self))
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
