import Foundation
import SealTestSupport
import Testing

/// The `openssl` command-line tool as an independent peer for interop tests.
struct OpenSSLCLI {
    let url: URL
    let directory: URL

    /// nil (with a runner warning, or a CI failure) when `openssl` is not on PATH; tests built on it carry
    /// `.peerExecutable("openssl")`, so the runner reports them as skipped instead.
    static func available() throws -> OpenSSLCLI? {
        let url = TestEnvironment.executable("openssl")
        guard TestEnvironment.peerAvailable("openssl CLI", url != nil), let url else { return nil }
        return OpenSSLCLI(url: url, directory: try TestEnvironment.temporaryDirectory("sealcrypto"))
    }

    /// Runs `openssl args…` in the scratch directory; returns status and combined output.
    @discardableResult
    func run(_ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, output: String) {
        let result = try TestEnvironment.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "cd \"$0\" && exec \"$@\"", directory.path, url.path] + arguments, stdin: stdin)
        return (result.status, result.stdout + result.stderr)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    func read(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    func readText(_ name: String) throws -> String {
        String(decoding: try read(name), as: UTF8.self)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }
}

extension Array where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
