import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SealCrypto
import SealPipeline
import SealServer
import SealStatus
import SealTestSupport
import Testing

/// The status service over the router: every state, the signature (checked by openssl), cache headers, 404,
/// and the routes open without login.
@Suite struct StatusRoutesTests {
    static let signatureHeader = HTTPField.Name(StatusHTTP.signatureHeader)!

    @Test func everyStateIsPublishedSignedAndCacheable() async throws {
        let world = try StatusWorld()
        defer { world.remove() }
        let tag = UUID().uuidString.prefix(8)
        let seals: [(name: String, state: SealStatusDocument.State)] = [
            ("active", .active), ("suspended", .suspended), ("revoked", .revoked), ("cancelled", .cancelled),
            ("expired", .expired),
        ]
        for seal in seals {
            if seal.state == .expired {
                try world.register(
                    "s-\(seal.name)", esID: "ES-\(tag)-\(seal.name)", validFrom: Date(timeIntervalSinceNow: -86_400 * 400),
                    validTo: Date(timeIntervalSinceNow: -86_400))
            } else {
                try world.register("s-\(seal.name)", esID: "ES-\(tag)-\(seal.name)")
            }
        }
        try world.setState(.suspended, of: "s-suspended")
        try world.setState(.suspended, of: "s-revoked")
        try world.setState(.revoked, of: "s-revoked")
        try world.setState(.cancelled, of: "s-cancelled")

        let app = try SealServerApplication.make(configuration: world.configuration(maxAge: 120), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            for seal in seals {
                let esID = "ES-\(tag)-\(seal.name)"
                let response = try await client.execute(uri: "/status/v1/seals/\(esID)", method: .get)
                #expect(response.status == .ok, "\(seal.name)")
                let body = Array(response.body.readableBytesView)
                let document = try SealStatusDocument.decode(body)
                #expect(document.state == seal.state, "\(seal.name)")
                #expect(document.esID == esID)
                #expect(document.issuer == "测试签发机构 Test Issuer")
                #expect(document.sealSHA256 == StatusJSON.hex(Digest.hash(.sha256, Array("esl-\(esID)".utf8))))
                #expect(response.headers[.cacheControl] == "public, max-age=120")
                let etag = try #require(response.headers[.eTag])
                #expect(etag.hasPrefix("\"") && etag.count == 34)
                let signature = try #require(response.headers[Self.signatureHeader].flatMap { Data(base64Encoded: $0) })
                // The client side's own check accepts it with the demo roots …
                _ = try SignedStatementVerifier.verify(
                    content: body, signatureDER: Array(signature), trust: world.pki.trustStore)
                // … and one changed byte is refused.
                var tampered = body
                tampered[tampered.count / 2] ^= 0x01
                #expect(throws: StatusError(.invalidSignature, "")) {
                    try SignedStatementVerifier.verify(content: tampered, signatureDER: Array(signature), trust: nil)
                }
                if seal.state == .revoked {
                    #expect(document.stateChanges.map(\.state) == [.active, .suspended, .revoked])
                    #expect(document.stateChangedAt >= document.stateChanges[1].at)
                    try Self.opensslVerifies(body: body, signature: Array(signature), world: world)
                }
                // Conditional GET: the same ETag gives 304 without a body.
                let again = try await client.execute(
                    uri: "/status/v1/seals/\(esID)", method: .get, headers: [.ifNoneMatch: etag])
                #expect(again.status == .notModified)
                #expect(again.body.readableBytes == 0)
                #expect(again.headers[.eTag] == etag)
            }
            let unknown = try await client.execute(uri: "/status/v1/seals/ES-\(tag)-nobody", method: .get)
            #expect(unknown.status == .notFound)
            #expect(String(buffer: unknown.body).contains("unknownSeal"))
            let certificate = try await client.execute(uri: "/status/v1/certificate", method: .get)
            #expect(certificate.status == .ok)
            #expect(String(buffer: certificate.body).hasPrefix("-----BEGIN CERTIFICATE-----"))
        }
    }

    @Test func aStateChangeChangesTheETag() async throws {
        let world = try StatusWorld()
        defer { world.remove() }
        let esID = "ES-ETAG-\(UUID().uuidString.prefix(8))"
        try world.register("etag", esID: esID)
        let app = try SealServerApplication.make(configuration: world.configuration(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let first = try await client.execute(uri: "/status/v1/seals/\(esID)", method: .get)
            let etag = try #require(first.headers[.eTag])
            try world.setState(.suspended, of: "etag")
            let second = try await client.execute(
                uri: "/status/v1/seals/\(esID)", method: .get, headers: [.ifNoneMatch: etag])
            #expect(second.status == .ok)
            #expect(second.headers[.eTag] != etag)
            #expect(try SealStatusDocument.decode(Array(second.body.readableBytesView)).state == .suspended)
        }
    }

    @Test func healthAndCheckpointsNeedNoLoginAndStatusNeedsAKey() async throws {
        let world = try StatusWorld()
        defer { world.remove() }
        var configuration = world.configuration()
        configuration.statusSigner = nil
        let app = try SealServerApplication.make(configuration: configuration, logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(String(buffer: health.body).contains("ok"))
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            let checkpoints = try await client.execute(uri: "/audit/v1/checkpoints", method: .get)
            #expect(checkpoints.status == .ok)
            #expect(try CheckpointList.decode(Array(checkpoints.body.readableBytesView)).checkpoints.isEmpty)
            // Without a status key the service says so instead of answering unsigned.
            let status = try await client.execute(uri: "/status/v1/seals/anything", method: .get)
            #expect(status.status == .serviceUnavailable)
            #expect(String(buffer: status.body).contains("--status-key"))
        }
    }

    /// `openssl cms -verify` over the exact body with the demo RSA root (the ECDSA status signer's root).
    static func opensslVerifies(body: [UInt8], signature: [UInt8], world: StatusWorld) throws {
        guard TestEnvironment.peerAvailable("openssl", TestEnvironment.executable("openssl") != nil),
            let openssl = TestEnvironment.executable("openssl")
        else { return }
        let folder = try TestEnvironment.temporaryDirectory("status-openssl")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bodyFile = folder.appendingPathComponent("status.json")
        let signatureFile = folder.appendingPathComponent("status.sig")
        try Data(body).write(to: bodyFile)
        try Data(signature).write(to: signatureFile)
        let arguments = [
            "cms", "-verify", "-binary", "-inform", "DER", "-in", signatureFile.path, "-content", bodyFile.path,
            "-CAfile", world.path("rsa-root.cert.pem"), "-purpose", "any", "-out", "/dev/null",
        ]
        let verified = try TestEnvironment.run(openssl, arguments)
        #expect(verified.status == 0, "openssl: \(verified.stderr)")
        // The same signature over a changed body fails openssl too.
        var changed = body
        changed[changed.count - 2] ^= 0x01
        try Data(changed).write(to: bodyFile)
        #expect(try TestEnvironment.run(openssl, arguments).status != 0)
    }
}
