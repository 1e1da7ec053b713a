import Foundation
import Glibc
import SealCrypto
import SealRemoteSigner
import SealTestSupport
import Testing

/// The signing service run as its own `sealpress keys serve` process, reached by ``RemoteSigner`` over mutual TLS.
@Suite(.enabled(if: RemoteSigningWorld.available, "needs the built sealpress binary and openssl"))
struct RemoteSigningServiceTests {
    let message = Array("远程签名服务 remote signing test".utf8)

    /// RSA, ECDSA and SM2 signatures made through the service verify with `openssl` (SM2 with the standard ID)
    /// and with our verifier; the certificate came from the service.
    @Test func signaturesVerifyWithOpenSSLAndUs() throws {
        let world = try RemoteSigningWorld.require()
        let cli = try TestEnvironment.temporaryDirectory("remote-openssl")
        defer { try? FileManager.default.removeItem(at: cli) }
        try Data(message).write(to: cli.appendingPathComponent("msg"))
        let expected: [String: (SignatureAlgorithm, [String])] = [
            "rsa": (.rsaPKCS1SHA256, ["dgst", "-sha256"]),
            "ecdsa": (.ecdsaWithSHA256, ["dgst", "-sha256"]),
            "sm2": (.sm2WithSM3, ["dgst", "-sm3", "-sigopt", "distid:1234567812345678"]),
        ]
        for (name, (algorithm, command)) in expected.sorted(by: { $0.key < $1.key }) {
            let signer = try RemoteSigner(reference: world.reference(name))
            #expect(signer.algorithm == algorithm)
            let certificate = try #require(signer.certificate, "\(name): no certificate from the service")
            let onDisk = try Certificate.certificates(
                pem: String(contentsOfFile: world.path("pki/\(name)-signer.cert.pem"), encoding: .utf8))
            #expect(certificate == onDisk.first, "\(name): the service sent \(certificate.subject)")
            #expect(signer.publicKey == certificate.publicKey)
            let signature = try signer.sign(message)
            #expect(certificate.publicKey.verify(signature: signature, for: message, algorithm: algorithm), "\(name)")
            try Data(certificate.publicKey.pemRepresentation.utf8).write(to: cli.appendingPathComponent("\(name).pub"))
            try Data(signature).write(to: cli.appendingPathComponent("\(name).sig"))
            let result = try TestEnvironment.run(
                URL(fileURLWithPath: "/bin/sh"),
                ["-c", "cd \"$0\" && exec openssl \"$@\"", cli.path] + command
                    + ["-verify", "\(name).pub", "-signature", "\(name).sig", "msg"])
            #expect(result.stdout.contains("Verified OK"), "\(name): \(result.stdout) \(result.stderr)")
        }
        // Without the standard ID (OpenSSL's empty default), the SM2 signature must not verify: the Z was real.
        let emptyID = try TestEnvironment.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "cd \"$0\" && exec openssl dgst -sm3 -verify sm2.pub -signature sm2.sig msg", cli.path])
        #expect(!emptyID.stdout.contains("Verified OK"))
    }

    /// Every request is logged with client, key, digest and outcome — and the log holds no key material.
    @Test func requestsAreLoggedWithoutKeyMaterial() throws {
        let world = try RemoteSigningWorld.require()
        let signer = try RemoteSigner(reference: world.reference("sm2"))
        let unique = Array(UUID().uuidString.utf8)
        _ = try signer.sign(unique)
        let digest = try SigningDigest.digest(for: unique, algorithm: .sm2WithSM3, publicKey: signer.publicKey)
        let log = try String(contentsOfFile: world.service.logPath, encoding: .utf8)
        let line = try #require(log.split(separator: "\n").first { $0.contains(Hex.string(digest)) }, "digest not logged")
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(entry["key"] as? String == "sm2")
        #expect((entry["client"] as? String)?.contains("CN=worker-01") == true)
        #expect(entry["outcome"] as? String == "signed")
        #expect(entry["status"] as? Int == 200)
        #expect(entry["time"] is String)
        #expect(entry["signature"] == nil)
        let keyPEM = try String(contentsOfFile: world.path("pki/sm2-signer.key.pem"), encoding: .utf8)
        let keyBody = keyPEM.split(separator: "\n").dropFirst().first.map(String.init) ?? "-"
        #expect(!log.contains("PRIVATE KEY"))
        #expect(!log.contains(keyBody))
    }

    /// A client whose certificate is from the right CA but not granted the key gets 403 (and it is logged).
    @Test func clientWithoutGrantIsRefused() throws {
        let world = try RemoteSigningWorld.require()
        // Granted `rsa` only.
        let rsa = try RemoteSigner(reference: world.reference("rsa", client: "limited"))
        _ = try rsa.sign(message)
        let error = try #require(throws: RemoteSignerError.self) {
            try RemoteSigner(reference: world.reference("sm2", client: "limited"))
        }
        #expect(error.code == .refused)
        #expect(!error.isRetryable)
        let unknown = try #require(throws: RemoteSignerError.self) {
            try RemoteSigner(reference: world.reference("no-such-key"))
        }
        #expect(unknown.code == .unknownKey)
        let log = try String(contentsOfFile: world.service.logPath, encoding: .utf8)
        #expect(log.split(separator: "\n").contains { $0.contains("limited-client") && $0.contains("\"forbidden\"") && $0.contains("\"sm2\"") })
    }

    /// A client certificate from another CA is refused by the TLS layer — even with a granted CN — so no request
    /// ever reaches the service's handlers (nothing logged for it).
    @Test func clientFromAnotherCAIsRefusedAtTLS() throws {
        let world = try RemoteSigningWorld.require()
        let before = (try? String(contentsOfFile: world.service.logPath, encoding: .utf8))?.count ?? 0
        let error = try #require(throws: RemoteSignerError.self) {
            try RemoteSigner(reference: world.reference("rsa", client: "intruder", timeout: 5))
        }
        #expect(error.code == .unavailable || error.code == .refused, "\(error)")
        let log = (try? String(contentsOfFile: world.service.logPath, encoding: .utf8)) ?? ""
        let added = String(log.dropFirst(before))
        #expect(!added.contains("Foreign"), "a foreign-CA client reached the handlers: \(added)")
        // And `openssl s_client` with that certificate gets no HTTP answer either.
        let probe = try TestEnvironment.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "printf 'GET /keys/rsa HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' | openssl s_client -quiet -connect 127.0.0.1:$0 -cert $1/intruder.pem -key $1/intruder.key -CAfile $1/service-ca.pem 2>&1", "\(world.service.port)", world.directory.path])
        #expect(!probe.stdout.contains("HTTP/1.1 200"), "\(probe.stdout)")
    }

    /// Down (nothing listening) and hanging (accepts, never answers) services give typed RETRYABLE errors within
    /// the timeout.
    @Test func downOrHangingServiceIsRetryable() throws {
        let world = try RemoteSigningWorld.require()
        // A port nobody listens on: bind one, close it.
        let closed = try Self.unusedPort()
        let down = try #require(throws: RemoteSignerError.self) {
            try RemoteSigner(reference: world.reference("rsa", port: closed, timeout: 3))
        }
        #expect(down.code == .unavailable, "\(down)")
        #expect(down.isRetryable)

        let silent = try SilentListener()
        defer { silent.close() }
        let started = Date()
        let hung = try #require(throws: RemoteSignerError.self) {
            try RemoteSigner(reference: world.reference("rsa", port: silent.port, timeout: 1.5))
        }
        #expect(hung.code == .timeout || hung.code == .unavailable, "\(hung)")
        #expect(hung.isRetryable)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// SIGTERM drains and stops the service cleanly (exit 0); a bad keys file stops it before it listens, with one
    /// line that names the problem.
    @Test func sigtermStopsCleanlyAndBadConfigurationIsOneLine() throws {
        let world = try RemoteSigningWorld.require()
        let service = ServiceProcess(binary: world.binary, directory: world.directory, logName: "sigterm.log")
        try service.start(port: 0)
        _ = try RemoteSigner(reference: world.reference("rsa", port: service.port)).sign(message)
        #expect(service.stop() == 0, "\(service.stderr)")
        let down = try #require(throws: RemoteSignerError.self) {
            try RemoteSigner(reference: world.reference("rsa", port: service.port, timeout: 2))
        }
        #expect(down.isRetryable)

        let badKeys = world.directory.appendingPathComponent("bad-keys-\(UUID().uuidString.prefix(6)).json")
        try Data(#"{"keys": {"k": "file:/nonexistent.pem?cert=/nonexistent.cert.pem"}, "clients": []}"#.utf8).write(to: badKeys)
        let dir = world.directory.path
        let refused = try world.run([
            "keys", "serve", "--listen", "127.0.0.1:0", "--tls-cert", dir + "/server.pem", "--tls-key", dir + "/server.key",
            "--client-ca", dir + "/client-ca.pem", "--keys", badKeys.path,
        ])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("key k"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
    }

    static func unusedPort() throws -> Int {
        let listener = try SilentListener()
        let port = listener.port
        listener.close()
        return port
    }
}

/// A TCP socket on 127.0.0.1 that accepts connections (the kernel's backlog) and never says a word.
final class SilentListener: Sendable {
    let descriptor: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw WorldError("cannot listen on 127.0.0.1") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
