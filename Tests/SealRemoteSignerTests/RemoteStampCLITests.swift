import Foundation
import SealTestSupport
import Testing

/// `sealpress stamp` / `seal make` with keys that stay in the signing service (`sealpress+https://…`), judged by
/// our verifier and the independent peers (pyHanko for PDF, ofdverify.py for OFD).
@Suite(.enabled(if: RemoteSigningWorld.available, "needs the built sealpress binary and openssl"))
struct RemoteStampCLITests {
    /// The client's TLS files from the environment (the reference names only host, port and key).
    func environment(_ world: RemoteSigningWorld) -> [String: String] {
        [
            "SEALPRESS_REMOTE_CLIENT_CERT": world.path("worker.pem"), "SEALPRESS_REMOTE_CLIENT_KEY": world.path("worker.key"),
            "SEALPRESS_REMOTE_CA": world.path("service-ca.pem"),
        ]
    }

    func samples(_ world: RemoteSigningWorld) throws -> URL {
        let folder = world.directory.appendingPathComponent("docs-\(UUID().uuidString.prefix(8))")
        let made = try world.run(["pipeline", "samples", "--out", folder.path, "--pdf", "1", "--ofd", "1", "--pages", "2"])
        try #require(made.status == 0, "\(made.stderr)")
        return folder
    }

    /// PAdES with an RSA key in the service: our verify passes, pyHanko says INTACT:TRUSTED,UNTOUCHED.
    @Test func pdfPAdESWithRemoteRSAKeyVerifies() throws {
        let world = try RemoteSigningWorld.require()
        let docs = try samples(world)
        let output = docs.appendingPathComponent("remote-rsa.pdf").path
        let reference = "sealpress+https://127.0.0.1:\(world.service.port)/keys/rsa"
        let stamped = try world.run(
            ["stamp", docs.appendingPathComponent("licence-001.pdf").path, output, "--key", reference, "--format", "pades-b-b", "--json"],
            environment: environment(world))
        try #require(stamped.status == 0, "\(stamped.stderr)")
        #expect(stamped.stdout.contains("RSA Signer") || stamped.stdout.contains("rsa"), "\(stamped.stdout)")
        let verified = try world.run(["verify", output, "--trust", world.path("pki/roots.pem")])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let pyhanko = TestEnvironment.executable("pyhanko")
        guard TestEnvironment.peerAvailable("pyhanko", pyhanko != nil), let pyhanko else { return }
        let judged = try TestEnvironment.run(
            pyhanko,
            ["sign", "validate", "--trust", world.path("pki/rsa-root.cert.pem"), "--trust-replace", "--no-revocation-check", output])
        #expect(judged.stdout.contains(":INTACT:TRUSTED,UNTOUCHED"), "\(judged.stdout) \(judged.stderr)")
    }

    /// An OFD seal (SM2, GB/T 38540) whose seal maker's key AND signer's key are in the service: `seal make
    /// --maker-key sealpress+https://…`, `stamp --key sealpress+https://…`; our verify and ofdverify.py pass.
    @Test func ofdSealWithRemoteSM2KeysVerifies() throws {
        let world = try RemoteSigningWorld.require()
        let docs = try samples(world)
        let seal = docs.appendingPathComponent("remote.esl").path
        let picture = TestEnvironment.repositoryRoot.appendingPathComponent("Tests/SealPressCLITests/Fixtures/seal.png").path
        let made = try world.run(
            [
                "seal", "make", "--name", "远程测试章", "--type", "1", "--esid", "REMOTE-1", "--picture", picture,
                "--width-mm", "40", "--height-mm", "40", "--signer-cert", world.path("pki/sm2-signer.cert.pem"),
                "--maker-key", "sealpress+https://127.0.0.1:\(world.service.port)/keys/maker",
                "--valid-from", "2020-01-01", "--valid-to", "2099-12-31", "--out", seal,
            ], environment: environment(world))
        try #require(made.status == 0, "\(made.stderr)")
        let output = docs.appendingPathComponent("remote-sm2.ofd").path
        let stamped = try world.run(
            [
                "stamp", docs.appendingPathComponent("declaration-001.ofd").path, output, "--seal", seal,
                "--key", world.reference("sm2"), "--page", "1", "--x-mm", "120", "--y-mm", "40",
            ])
        try #require(stamped.status == 0, "\(stamped.stderr)")
        let verified = try world.run(["verify", output, "--trust", world.path("pki/roots.pem")])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let tool = TestEnvironment.sharedTool("ofdverify.py")
        let python = TestEnvironment.executable("python3")
        guard TestEnvironment.peerAvailable("ofdverify.py", tool != nil && python != nil), let tool, let python else { return }
        let judged = try TestEnvironment.run(python, [tool.path, output])
        #expect(judged.status == 0, "\(judged.stdout) \(judged.stderr)")
    }

    /// A seal maker key the reference cannot reach fails with one plain line (no stack, no type names).
    @Test func unreachableServiceIsOnePlainLine() throws {
        let world = try RemoteSigningWorld.require()
        let docs = try samples(world)
        let port = try RemoteSigningServiceTests.unusedPort()
        let result = try world.run(
            ["stamp", docs.appendingPathComponent("licence-001.pdf").path, docs.appendingPathComponent("x.pdf").path,
             "--key", world.reference("rsa", port: port, timeout: 2)])
        #expect(result.status == 3)
        #expect(result.stderr.contains("cannot be reached"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}
