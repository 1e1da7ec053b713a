import Foundation
import SealTestSupport
import Testing

/// A demo PKI, a seal and sample documents made by the built `sealpress` binary, shared by the CLI tests
/// (each test writes its outputs to its own folder).
final class CLIWorld: Sendable {
    static let shared: Result<CLIWorld, CLITestError> = {
        do {
            let world = try CLIWorld()
            // A static is never deinitialised: remove the folder when the test process exits.
            atexit { if case .success(let world) = CLIWorld.shared { try? FileManager.default.removeItem(at: world.directory) } }
            return .success(world)
        } catch {
            return .failure(CLITestError("\(error)"))
        }
    }()

    /// True when the binary is built; the suites are skipped (visibly) otherwise.
    static var binaryBuilt: Bool { TestBinaries.sealpress != nil }

    let binary: URL
    let directory: URL

    private init() throws {
        guard let binary = TestBinaries.sealpress else { throw CLITestError("the sealpress binary is not built") }
        self.binary = binary
        directory = try TestEnvironment.temporaryDirectory("sealpress-cli")
        try Self.expectSuccess(binary, ["keys", "demo-pki", "--out", directory.appendingPathComponent("pki").path])
        try Self.expectSuccess(binary, [
            "seal", "make", "--name", "测试章", "--type", "1", "--esid", "CLI-TEST-1", "--picture", Self.fixture("seal.png").path,
            "--width-mm", "40", "--height-mm", "40", "--signer-cert", path("pki/sm2-signer.cert.pem"),
            "--maker-key", path("pki/seal-maker.key.pem"), "--maker-cert", path("pki/seal-maker.cert.pem"),
            "--valid-from", "2020-01-01", "--valid-to", "2099-12-31", "--out", path("seal.esl"),
        ])
        try Self.expectSuccess(binary, ["pipeline", "samples", "--out", path("docs"), "--pdf", "1", "--ofd", "1", "--pages", "3"])
    }

    func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    var samplePDF: String { path("docs/licence-001.pdf") }
    /// The sample OFD has 3 pages (`pipeline samples --pages 3`, the first OFD gets no extra page).
    var sampleOFD: String { path("docs/declaration-001.ofd") }
    var roots: String { path("pki/roots.pem") }

    /// `--seal --key --cert` of the SM2 signer the seal admits.
    var signerArguments: [String] {
        ["--seal", path("seal.esl"), "--key", path("pki/sm2-signer.key.pem"), "--cert", path("pki/sm2-signer.cert.pem")]
    }

    /// A fresh folder for one test's outputs.
    func folder(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `folder/pipelines/NAME.yaml`: the seal on the last page at 135/30 mm, 40 mm wide, PAdES B-B and SES, verified
    /// after signing. Returns the pipelines folder (for `--pipelines`).
    func writePipeline(_ name: String, seal: String, in folder: URL) throws -> URL {
        let pipelines = folder.appendingPathComponent("pipelines")
        try FileManager.default.createDirectory(at: pipelines, withIntermediateDirectories: true)
        try Data("""
            name: \(name)
            seal: \(seal)
            placements:
              - page: last
                x_mm: 135
                y_mm: 30
                width_mm: 40
            formats:
              pdf: pades-b-b
              ofd: ses
            verify_after_signing: true
            """.utf8).write(to: pipelines.appendingPathComponent("\(name).yaml"))
        return pipelines
    }

    @discardableResult
    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestEnvironment.run(binary, arguments, environment: environment)
    }

    static func fixture(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name)
    }

    private static func expectSuccess(_ binary: URL, _ arguments: [String]) throws {
        let result = try TestEnvironment.run(binary, arguments)
        guard result.status == 0 else {
            throw CLITestError("sealpress \(arguments.prefix(2).joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
    }

    /// The world, or a recorded failure (the binary is built but the set-up failed).
    static func require() throws -> CLIWorld { try shared.get() }
}

struct CLITestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What a runtime error on stderr must never show.
enum Leaks {
    static func check(_ stderr: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for marker in ["Usage:", ".swift", "EVP_", "OSSL_", "PEM_read", "CryptoError", "PDFError.", "OFDError.", "SQLSTATE", "Error("] {
            #expect(!stderr.contains(marker), "stderr shows \(marker): \(stderr)", sourceLocation: sourceLocation)
        }
        #expect(stderr.split(separator: "\n").count == 1, "one line: \(stderr)", sourceLocation: sourceLocation)
    }
}

extension String {
    /// The JSON object this text holds.
    func jsonObject() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(utf8)) as? [String: Any], "not a JSON object: \(self)")
    }
}
