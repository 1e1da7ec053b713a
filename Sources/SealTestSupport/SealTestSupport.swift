import Foundation
import Testing

/// Where tests find things outside their own fixtures.
public enum TestEnvironment {
    /// The repository root (the folder holding Package.swift), found from this source file's path.
    public static let repositoryRoot: URL = {
        URL(fileURLWithPath: #filePath)  // …/Sources/SealTestSupport/SealTestSupport.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// `../shared` beside the project (reference tools and corpus), or nil on a user's clone without it.
    /// `SEALPRESS_SHARED` overrides the location.
    public static var sharedDirectory: URL? {
        let candidate = ProcessInfo.processInfo.environment["SEALPRESS_SHARED"].map { URL(fileURLWithPath: $0) }
            ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue
        else { return nil }
        return candidate
    }

    /// An independent checker from `../shared/tools/`, or nil when absent.
    public static func sharedTool(_ name: String) -> URL? {
        guard let url = sharedDirectory?.appendingPathComponent("tools").appendingPathComponent(name),
            FileManager.default.isReadableFile(atPath: url.path)
        else { return nil }
        return url
    }

    /// True in CI (`SEALPRESS_REQUIRE_PEERS=1`): a missing peer verifier is then a failure, not a skip.
    public static var peersRequired: Bool {
        ProcessInfo.processInfo.environment["SEALPRESS_REQUIRE_PEERS"] == "1"
    }

    /// The full path of an executable on PATH, or nil.
    public static func executable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let url = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    /// True when `python3 -c "import <modules>"` succeeds.
    public static func pythonHasModules(_ modules: [String]) -> Bool {
        guard let python = executable("python3") else { return false }
        let result = try? run(python, ["-c", "import " + modules.joined(separator: ", ")])
        return result?.status == 0
    }

    /// Runs a program to completion and returns its exit status and output.
    public static func run(
        _ program: URL, _ arguments: [String], environment: [String: String]? = nil, stdin: Data? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child never blocks on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// True when the interop peer is there. Under `SEALPRESS_REQUIRE_PEERS=1` (CI) a missing peer fails the test.
    ///
    /// A test whose whole point is a peer carries the ``Testing/Trait/peer(_:_:)`` trait, so the runner reports it
    /// as skipped and this guard is reached only in CI:
    /// `guard TestEnvironment.peerAvailable("pdfsig", TestEnvironment.executable("pdfsig") != nil) else { return }`.
    /// A test that only adds a peer's cross-check to its own checks calls this for that part; a missing peer is then
    /// a warning the runner reports ("passed with 1 warning"), never a silent pass.
    public static func peerAvailable(_ what: String, _ available: Bool, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        if available { return true }
        if peersRequired {
            Issue.record(
                "interop peer \(what) is missing but SEALPRESS_REQUIRE_PEERS=1 (CI) requires it", sourceLocation: sourceLocation)
        } else {
            Issue.record(
                "interop peer \(what) is not available on this machine: its cross-check did not run", severity: .warning,
                sourceLocation: sourceLocation)
        }
        return false
    }

    /// A fresh temporary directory, removed by the caller.
    public static func temporaryDirectory(_ prefix: String = "sealpress-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when the interop peer is there; otherwise the runner reports it as skipped, with
    /// `what` as the reason. Under `SEALPRESS_REQUIRE_PEERS=1` (CI) the test runs anyway, and its
    /// ``TestEnvironment/peerAvailable(_:_:)`` guard fails it: a missing peer is never a silent pass.
    ///
    /// ```swift
    /// @Test(.peer("qpdf") { TestEnvironment.executable("qpdf") != nil })
    /// func qpdfAcceptsTheUpdate() throws {
    ///     guard TestEnvironment.peerAvailable("qpdf", TestEnvironment.executable("qpdf") != nil) else { return }
    /// ```
    public static func peer(_ what: String, _ available: @escaping @Sendable () -> Bool) -> Self {
        .enabled("interop peer \(what) is not available on this machine") {
            available() || TestEnvironment.peersRequired
        }
    }

    /// Common peers.
    public static func peerExecutable(_ name: String) -> Self {
        peer(name) { TestEnvironment.executable(name) != nil }
    }
}
