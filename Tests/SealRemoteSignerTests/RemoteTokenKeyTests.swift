import Foundation
import SealTestSupport
import Testing

/// `keys serve` holding keys that stay in a PKCS#11 token (SoftHSM2): the service signs the worker's digests on the
/// token (CKM_RSA_PKCS over a DigestInfo, CKM_ECDSA), and the PAdES result is judged by our verifier and pyHanko.
@Suite(.enabled(if: RemoteSigningWorld.available, "needs the built sealpress binary and openssl"))
struct RemoteTokenKeyTests {
    @Test(.softHSM) func keysServeSignsPAdESWithATokenKeyThatPyHankoTrusts() throws {
        let world = try RemoteSigningWorld.require()
        let folder = world.directory.appendingPathComponent("token-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let token = try SoftHSMToken(label: "service-seals", parent: folder)
        defer { token.remove() }
        try token.importKey(
            keyPEM: world.path("pki/rsa-signer.key.pem"), certificatePEM: world.path("pki/rsa-signer.cert.pem"),
            object: "tax-seal", idHex: "01")
        try token.importKey(
            keyPEM: world.path("pki/ecdsa-signer.key.pem"), certificatePEM: world.path("pki/ecdsa-signer.cert.pem"),
            object: "customs-seal", idHex: "02")
        let keys: [String: Any] = [
            "keys": [
                "token-rsa": token.uri(object: "tax-seal", idHex: "01"),
                "token-ecdsa": token.uri(object: "customs-seal", idHex: "02"),
            ],
            "clients": [["subject-cn": "worker-01", "keys": ["*"]]],
        ]
        let keysFile = folder.appendingPathComponent("token-keys.json")
        try JSONSerialization.data(withJSONObject: keys).write(to: keysFile)
        // Only the service sees the token (SOFTHSM2_CONF); the stamping process holds TLS client files only.
        let service = ServiceProcess(
            binary: world.binary, directory: world.directory, logName: "token-\(UUID().uuidString.prefix(6)).log",
            keysFile: keysFile.path, environment: token.environment)
        try service.start(port: 0)
        defer { service.stop() }

        let docs = folder.appendingPathComponent("docs")
        let made = try world.run(["pipeline", "samples", "--out", docs.path, "--pdf", "1", "--ofd", "0", "--pages", "2"])
        try #require(made.status == 0, "\(made.stderr)")
        for key in ["token-rsa", "token-ecdsa"] {
            let output = folder.appendingPathComponent("\(key).pdf").path
            let stamped = try world.run([
                "stamp", docs.appendingPathComponent("licence-001.pdf").path, output,
                "--key", world.reference(key, port: service.port), "--format", "pades-b-b",
            ])
            #expect(stamped.status == 0, "\(key): \(stamped.stderr) \(service.stderr)")
            guard stamped.status == 0 else { continue }
            let verified = try world.run(["verify", output, "--trust", world.path("pki/roots.pem")])
            #expect(verified.status == 0, "\(key): \(verified.stdout) \(verified.stderr)")
            let pyhanko = TestEnvironment.executable("pyhanko")
            guard TestEnvironment.peerAvailable("pyhanko", pyhanko != nil), let pyhanko else { continue }
            let judged = try TestEnvironment.run(pyhanko, [
                "sign", "validate", "--trust", world.path("pki/rsa-root.cert.pem"), "--trust-replace",
                "--no-revocation-check", output,
            ])
            #expect(judged.stdout.contains(":INTACT:TRUSTED,UNTOUCHED"), "\(key): \(judged.stdout) \(judged.stderr)")
        }
        // Every signature was made by the service (its request log names the token keys).
        let log = (try? String(contentsOfFile: service.logPath, encoding: .utf8)) ?? ""
        #expect(log.contains("token-rsa") && log.contains("token-ecdsa"), "\(log)")
    }
}
