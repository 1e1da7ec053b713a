import Foundation
import SealTestSupport

/// A `sealpress serve` child process on a free loopback port (`--listen 127.0.0.1:0`), for the CLI tests.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    /// `http://127.0.0.1:PORT`, as the server printed it.
    private(set) var baseURL = ""
    private let errors = Pipe()

    init(_ binary: URL, _ arguments: [String]) throws {
        process.executableURL = binary
        process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The first stdout line is "listening on URL" once the socket is bound.
        let reader = output.fileHandleForReading
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while !text.contains("\n") && Date() < deadline && process.isRunning {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("listening on ") else {
            stop()
            let stderr = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            throw CLITestError("sealpress serve did not start: \(text) \(stderr)")
        }
        baseURL = String(line.dropFirst("listening on ".count))
    }

    var port: Int { Int(baseURL.split(separator: ":").last ?? "") ?? 0 }

    /// SIGTERM, then waits; returns the exit status (0 after a graceful shutdown).
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
