import Foundation
import SealCrypto
import SealNetClient
import SealSideServer
import SealTestSupport
import Testing

@Suite struct TimeStampTests {
    let pki = TestPKI.shared

    @Test(arguments: ["rsa", "sm2"])
    func localTSAOverHTTPRoundTrip(which: String) throws {
        let identity = which == "rsa" ? pki.tsa : pki.sm2TSA
        let tsa = try LocalTimeStampAuthority(signer: try identity.signer())
        let server = try TimeStampServer(authority: tsa)
        defer { server.stop() }
        #expect(server.port > 0)
        let data = Array("document bytes".utf8)
        let digest = Digest.hash(.sha256, data)
        let client = TimeStampClient(url: server.url, trust: pki.trustStore)
        let token = try client.timeStampToken(digest: digest, algorithm: .sha256)
        let verification = TimeStampVerification.verify(tokenDER: token, messageImprintOf: data, trust: pki.trustStore)
        #expect(verification.isValid, "\(verification.failures)")
        #expect(verification.tsaCertificate == identity.certificate)
        #expect(verification.chain?.isValid == true)
        let mismatch = TimeStampVerification.verify(tokenDER: token, messageImprintOf: data + [0], trust: pki.trustStore)
        #expect(mismatch.failures == [.imprintMismatch])
        let untrusted = TimeStampVerification.verify(tokenDER: token, messageImprintOf: data, trust: TrustStore(roots: []))
        #expect(!untrusted.isValid)
    }

    @Test(.peerExecutable("openssl")) func tokensVerifiedByOpenSSLTS() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        let tsa = try LocalTimeStampAuthority(signer: try pki.tsa.signer())
        let data = Array("time-stamp me".utf8)
        try cli.write("data.bin", data)
        // openssl builds the query, our TSA answers, openssl verifies the reply.
        let query = try cli.run(["ts", "-query", "-data", "data.bin", "-sha256", "-cert", "-out", "q.tsq"])
        #expect(query.status == 0, "\(query.output)")
        try cli.write("r.tsr", tsa.respond(to: try cli.read("q.tsq")))
        try cli.write("root.pem", pki.rsaRoot.certificate.pemRepresentation)
        let verified = try cli.run(["ts", "-verify", "-in", "r.tsr", "-queryfile", "q.tsq", "-CAfile", "root.pem"])
        #expect(verified.status == 0 && verified.output.contains("Verification: OK"), "\(verified.output)")
        let request = try TimeStampRequest(der: try cli.read("q.tsq"))
        #expect(request.hashAlgorithm == .sha256 && request.certificateRequested)
        #expect(request.hashedMessage == Digest.hash(.sha256, data))
    }

    @Test func badRequestsGetRejectionResponses() throws {
        let tsa = try LocalTimeStampAuthority(signer: try pki.tsa.signer())
        let rejection = try TimeStampResponse(der: tsa.respond(to: [0x30, 0x03, 0x02, 0x01, 0x05]))
        #expect(rejection.status == 2 && !rejection.isGranted)
        let sha1 = try TimeStampRequest(digest: Digest.hash(.sha1, [1]), algorithm: .sha1).derEncoded()
        #expect(try TimeStampResponse(der: tsa.respond(to: sha1)).status == 2)
        #expect(throws: CryptoError(.invalidArgument, "")) { try LocalTimeStampAuthority(signer: try pki.rsaSigner.signer()) }
    }

    /// A TSA behind a proxy that answers with chunked transfer encoding, or with no length at all (close-delimited).
    @Test(arguments: ["chunked", "close"])
    func clientReadsChunkedAndCloseDelimitedReplies(mode: String) throws {
        guard let python = TestEnvironment.executable("python3") else { return }
        let tsa = try LocalTimeStampAuthority(signer: try pki.tsa.signer())
        let server = try TimeStampServer(authority: tsa)
        defer { server.stop() }
        let upstream = server.port
        let directory = try TestEnvironment.temporaryDirectory("tsa-proxy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("proxy.py")
        try Data("""
            import socket, sys, urllib.request
            mode, upstream = sys.argv[1], sys.argv[2]
            server = socket.socket(); server.bind(('127.0.0.1', 0)); server.listen(1)
            print(server.getsockname()[1], flush=True)
            conn, _ = server.accept()
            data = b''
            while b'\\r\\n\\r\\n' not in data: data += conn.recv(65536)
            head, body = data.split(b'\\r\\n\\r\\n', 1)
            length = int([l.split(b':')[1] for l in head.split(b'\\r\\n') if l.lower().startswith(b'content-length')][0])
            while len(body) < length: body += conn.recv(65536)
            req = urllib.request.Request('http://127.0.0.1:%s/' % upstream, data=body, headers={'Content-Type': 'application/timestamp-query'})
            reply = urllib.request.urlopen(req).read()
            if mode == 'chunked':
                out = b'HTTP/1.1 200 OK\\r\\nContent-Type: application/timestamp-reply\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n'
                for i in range(0, len(reply), 100): out += b'%x\\r\\n' % len(reply[i:i+100]) + reply[i:i+100] + b'\\r\\n'
                out += b'0\\r\\n\\r\\n'
            else:
                out = b'HTTP/1.0 200 OK\\r\\nContent-Type: application/timestamp-reply\\r\\n\\r\\n' + reply
            conn.sendall(out); conn.close()
            """.utf8).write(to: script)
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path, mode, String(upstream)]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let firstLine = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = Int(firstLine.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            Issue.record("proxy did not start: \(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
            return
        }
        let client = TimeStampClient(url: URL(string: "http://127.0.0.1:\(port)/")!, trust: pki.trustStore)
        let digest = Digest.hash(.sha256, Array(mode.utf8))
        let token = try client.timeStampToken(digest: digest, algorithm: .sha256)
        #expect(TimeStampVerification.verify(tokenDER: token, digest: digest, algorithm: .sha256, trust: pki.trustStore).isValid)
        process.waitUntilExit()
    }

    @Test func clientReportsUnreachableTSA() throws {
        let client = TimeStampClient(url: URL(string: "http://127.0.0.1:1/")!, timeoutSeconds: 2)
        #expect(throws: CryptoError(.network, "")) { try client.timeStampToken(digest: Digest.hash(.sha256, [1]), algorithm: .sha256) }
    }
}
