import Foundation
import SealCrypto
import SealNetClient
import SealTestSupport
import Testing

/// `sealpress keys …` and `sealpress tsa serve`, run as a user runs them (the binary built beside the tests).
@Suite(.enabled(if: TestBinaries.sealpress != nil, "the sealpress binary was not built beside the tests"))
struct CommandLineTests {
    /// The `sealpress` executable next to the test bundle (built by `swift build --build-tests`).
    static var binary: URL? {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { return nil }
        let candidate = fixtures.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sealpress")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }

    @Test func demoPKIThenServeTimeStamps() throws {
        let binary = try #require(Self.binary)
        let directory = try TestEnvironment.temporaryDirectory("keys-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pkiDirectory = directory.appendingPathComponent("pki")
        let made = try TestEnvironment.run(binary, ["keys", "demo-pki", "--out", pkiDirectory.path, "--password", "pw"])
        #expect(made.status == 0, "\(made.stderr)")
        let again = try TestEnvironment.run(binary, ["keys", "demo-pki", "--out", pkiDirectory.path])
        #expect(again.status == 3, "refuses to overwrite without --force")
        let roots = try Certificate.certificates(
            pem: try String(contentsOf: pkiDirectory.appendingPathComponent("roots.pem"), encoding: .utf8))
        #expect(roots.count == 2)

        let server = Process()
        server.executableURL = binary
        server.arguments = [
            "tsa", "serve", "--port", "0", "--key", pkiDirectory.appendingPathComponent("tsa.key.pem").path,
            "--cert", pkiDirectory.appendingPathComponent("tsa.cert.pem").path, "--password", "pw",
        ]
        let output = Pipe()
        server.standardOutput = output
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let banner = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(banner.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, "\(banner)")
        let client = TimeStampClient(url: URL(string: "http://127.0.0.1:\(port)/")!, trust: TrustStore(roots: roots))
        let digest = Digest.hash(.sm3, Array("cli".utf8))
        let token = try client.timeStampToken(digest: digest, algorithm: .sm3)
        let verification = TimeStampVerification.verify(tokenDER: token, digest: digest, algorithm: .sm3, trust: TrustStore(roots: roots))
        #expect(verification.isValid, "\(verification.failures)")
        server.interrupt()
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
    }

    @Test func generateWritesALoadableKey() throws {
        let binary = try #require(Self.binary)
        let directory = try TestEnvironment.temporaryDirectory("keys-generate")
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("k.pem").path
        let result = try TestEnvironment.run(binary, ["keys", "generate", "--algorithm", "sm2", "--out", keyPath])
        #expect(result.status == 0, "\(result.stderr)")
        let key = try PrivateKey(pem: try String(contentsOfFile: keyPath, encoding: .utf8))
        #expect(key.algorithm == .sm2)
        #expect(try PublicKey(pem: result.stdout) == key.publicKey)
        let refused = try TestEnvironment.run(binary, ["tsa", "serve", "--host", "0.0.0.0", "--key", keyPath, "--cert", keyPath])
        #expect(refused.status != 0, "non-loopback hosts are refused")
    }
}
