import Foundation
import SealTestSupport

/// A `sealpress worker` child process with its output in a temporary file.
final class WorkerProcess: @unchecked Sendable {
    let process = Process()
    let logFile: URL

    /// Starts `sealpress worker <arguments>` against `url`.
    init(url: String, _ arguments: [String]) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("sealpress-worker-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.executableURL = try QueueTestSupport.sealpressBinary()
        process.arguments = ["worker", "--database-url", url] + arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for exit; returns the status, or nil on timeout (the process is then killed).
    func wait(timeout: Double) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// The process's output so far.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logFile)
    }
}
