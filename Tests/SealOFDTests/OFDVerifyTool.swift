import Foundation
import SealTestSupport
import Testing

/// Runs the independent checker `../shared/tools/ofdverify.py` on a document (exit 0 valid, 1 invalid, 2 unsigned).
enum OFDVerifyTool {
    /// The checker's exit status and output, or nil when it is not available (the runner then reports a warning:
    /// this cross-check did not run; under SEALPRESS_REQUIRE_PEERS=1 a failure).
    static func judge(_ bytes: [UInt8], name: String = "doc.ofd") throws -> (status: Int32, output: String)? {
        let tool = TestEnvironment.sharedTool("ofdverify.py")
        let python = TestEnvironment.executable("python3")
        guard TestEnvironment.peerAvailable("ofdverify.py", tool != nil && python != nil) else { return nil }
        let folder = try TestEnvironment.temporaryDirectory("ofdverify")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        let result = try TestEnvironment.run(python!, [tool!.path, file.path])
        return (result.status, result.stdout + result.stderr)
    }
}
