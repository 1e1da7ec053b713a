import Foundation
import Postgres
import SealQueue
import SealTestSupport
import SealWorker
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `sealpress worker --metrics-port … --log-format json` as an operator runs it: Prometheus scrapes during a batch
/// see the counters move, and every standard-error line is one JSON object.
@Suite(.serialized) struct WorkerMetricsProcessTests {
    @Test func metricsMoveDuringABatchAndJSONLogsParseLineByLine() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        let count = 240
        _ = try queue.enqueueMany(
            kind: "noop", argsJSON: (0..<count).map { "{\"sleep_ms\": 25, \"output\": \"secret-content-\($0)\"}" },
            batchLabel: "metrics")
        _ = try queue.enqueueMany(kind: "noop", argsJSON: Array(repeating: "{\"fail_permanently\": true}", count: 3))
        try queue.setLimit(JobLimit(key: "hsm-seal", maxConcurrent: 2))

        let port = try Self.freePort()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sealpress-metrics-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let stderrURL = directory.appendingPathComponent("stderr.log")
        let stdoutURL = directory.appendingPathComponent("stdout.log")
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        let process = Process()
        process.executableURL = try QueueTestSupport.sealpressBinary()
        process.arguments = [
            "worker", "--database-url", url, "--concurrency", "2", "--id", "metrics-1",
            "--metrics-port", "\(port)", "--metrics-host", "127.0.0.1", "--log-format", "json", "--log-level", "info",
            "--poll-seconds", "0.5", "--heartbeat-seconds", "0.2", "--rescue-after-seconds", "1.5",
            "--promote-seconds", "0.05", "--backoff-base", "100ms",
        ]
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        }
        let stderrText = { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

        // First scrape once some jobs are done, second one later: the completed counter must have grown.
        var first = ""
        let started = QueueTestSupport.waitUntil(timeout: 30) {
            guard let body = try? HTTPGet.get(port: port, path: "/metrics"), body.status == 200 else { return false }
            first = body.body
            return (Self.sample("sealpress_jobs_completed_total{kind=\"noop\"}", in: first) ?? 0) > 0
        }
        #expect(started, "no completed jobs seen on /metrics:\n\(first)\n\(stderrText())")
        let firstCompleted = Self.sample("sealpress_jobs_completed_total{kind=\"noop\"}", in: first) ?? 0
        #expect(firstCompleted < Double(count), "the first scrape should come during the batch")
        #expect((Self.sample("sealpress_jobs{state=\"available\",queue=\"default\"}", in: first) ?? 0) > 0,
                "the jobs-by-state gauge should show the waiting part of the batch:\n\(first)")
        #expect(try HTTPGet.get(port: port, path: "/healthz").body == "ok\n")
        #expect(Self.sample("sealpress_principals{state=\"queued\"}", in: first) == 1, "one (unnamed) principal waits")

        let finished = QueueTestSupport.waitUntil(timeout: 60) {
            (try? QueueTestSupport.counts(connection)[.completed]) == count
        }
        #expect(finished, "batch did not finish:\n\(stderrText())")
        let second = try HTTPGet.get(port: port, path: "/metrics").body
        let secondCompleted = Self.sample("sealpress_jobs_completed_total{kind=\"noop\"}", in: second) ?? 0
        #expect(secondCompleted > firstCompleted)
        #expect(secondCompleted == Double(count))
        #expect(Self.sample("sealpress_jobs{state=\"completed\",queue=\"default\"}", in: second) == Double(count))
        #expect(Self.sample("sealpress_jobs{state=\"available\",queue=\"default\"}", in: second) == 0)
        #expect(Self.sample("sealpress_jobs_failed_total{kind=\"noop\",reason=\"malformedInput\"}", in: second) == 3)
        #expect(Self.sample("sealpress_job_run_seconds_count{kind=\"noop\"}", in: second) == Double(count + 3))
        #expect((Self.sample("sealpress_job_run_seconds_sum{kind=\"noop\"}", in: second) ?? 0) >= Double(count) * 0.025)
        #expect(Self.sample("sealpress_job_claim_to_start_seconds_count{kind=\"noop\"}", in: second) == Double(count + 3))
        #expect(second.contains("# TYPE sealpress_job_run_seconds histogram"))
        #expect(Self.sample("sealpress_limit_max_concurrent{key=\"hsm-seal\"}", in: second) == 2)
        #expect(Self.sample("sealpress_limit_running_jobs{key=\"hsm-seal\"}", in: second) == 0)

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        // Every standard-error line is a JSON object with the fixed fields, and job output never shows up.
        let lines = stderrText().split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count >= 3, "expected start, metrics and stop lines:\n\(stderrText())")
        var messages: [String] = []
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not a JSON object: \(line)")
            guard let object else { continue }
            #expect(object["ts"] is String && object["level"] is String && object["label"] is String)
            if let message = object["msg"] as? String { messages.append(message) }
            #expect(!line.contains("secret-content"), "job content leaked into the log: \(line)")
        }
        #expect(messages.contains("worker started"))
        #expect(messages.contains("metrics server listening"))
        #expect(messages.contains("job failed"))
    }

    /// The value of one sample line (`name{labels} value`) in Prometheus text.
    static func sample(_ series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    struct ProbeError: Error {}

    /// A TCP port nobody listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw ProbeError() }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Failure reasons are bounded codes, never free text (they become metric labels): the failure's own code, never
/// parsed from its message.
@Suite struct WorkerMetricsReasonTests {
    @Test func reasonsAreTheFailuresCodes() {
        #expect(WorkerMetrics.reason(JobFailure(.signingFailed, "signature too large")) == "signingFailed")
        #expect(WorkerMetrics.reason(JobFailure(.sealRefused, "sealSuspended: seal 'x' is suspended")) == "sealRefused")
        // A message that looks like another code does not change the label.
        #expect(WorkerMetrics.reason(JobFailure(.timeout, "sealRefused: timed out after 3.0 s")) == "timeout")
        #expect(WorkerMetrics.reason(JobFailure(.unknownKind, "no handler for kind \"x\" in worker w")) == "unknownKind")
        #expect(WorkerMetrics.reason(JobCancelled()) == "cancelled")
        #expect(WorkerMetrics.reason(CocoaError(.fileNoSuchFile)) == "unexpected")
        let labels = Set(JobErrorCode.allCases.map { WorkerMetrics.reason(JobFailure($0, "a file name.pdf: bad")) })
        #expect(labels == Set(JobErrorCode.allCases.map(\.rawValue)))
    }
}

/// The binary refuses to sign or verify on an OpenSSL without working SM2/SM3. An OpenSSL configuration whose
/// default properties require FIPS (and no FIPS provider) stands in for a distribution that stripped SM2: every
/// algorithm fetch fails, as SM2/SM3 fetches do there.
@Suite struct StartupSelfTestProcessTests {
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try QueueTestSupport.sealpressBinary()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func strippedOpenSSL() throws -> (config: URL, cleanup: () -> Void) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sealpress-nosm2-\(UUID()).cnf")
        try """
            openssl_conf = openssl_init
            [openssl_init]
            alg_section = algorithm_sect
            [algorithm_sect]
            default_properties = fips=yes

            """.write(to: url, atomically: true, encoding: .utf8)
        return (url, { try? FileManager.default.removeItem(at: url) })
    }

    @Test func selfTestPassesOnThisOpenSSL() throws {
        let result = try run(["self-test"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SM2 sign/verify"))
    }

    @Test func workerStampAndVerifyRefuseToRunWithoutSM2() throws {
        let (config, cleanup) = try strippedOpenSSL()
        defer { cleanup() }
        let environment = ["OPENSSL_CONF": config.path]
        for arguments in [["self-test"], ["worker", "--database-url", "postgresql://127.0.0.1:1/none"],
                          ["verify", "/nonexistent.pdf"]] {
            let result = try run(arguments, environment: environment)
            #expect(result.status == 3, "\(arguments): \(result.output)")
            #expect(result.output.contains("SM2/SM3 self-test failed"), "\(arguments): \(result.output)")
        }
    }

    @Test func anUnknownLogFormatIsAUsageError() throws {
        let result = try run(["worker", "--log-format", "xml", "--database-url", "postgresql://127.0.0.1:1/none"])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains("--log-format"))
    }
}
