import Foundation
import SealCrypto
import Testing

@Suite struct TimeStampTests {
    let pki = TestPKI.shared

    @Test(arguments: ["rsa", "sm2"])
    func localTSAOverHTTPRoundTrip(which: String) throws {
        let identity = which == "rsa" ? pki.tsa : pki.sm2TSA
        let tsa = try LocalTimeStampAuthority(signer: try identity.signer())
        let port = try tsa.start()
        defer { tsa.stop() }
        #expect(port > 0)
        let data = Array("document bytes".utf8)
        let digest = Digest.hash(.sha256, data)
        let client = TimeStampClient(url: try #require(tsa.url), trust: pki.trustStore)
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

    @Test func tokensVerifiedByOpenSSLTS() throws {
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

    @Test func clientReportsUnreachableTSA() throws {
        let client = TimeStampClient(url: URL(string: "http://127.0.0.1:1/")!, timeoutSeconds: 2)
        #expect(throws: CryptoError(.network, "")) { try client.timeStampToken(digest: Digest.hash(.sha256, [1]), algorithm: .sha256) }
    }
}
