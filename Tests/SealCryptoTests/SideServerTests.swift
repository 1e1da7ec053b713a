import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SealCrypto
import SealNetClient
import SealSideServer
import SealTestSupport
import Testing

@Suite struct SideServerTests {
    let pki = TestPKI.shared

    /// One request with async-http-client: status and body.
    static func exchange(_ method: HTTPMethodName, port: Int, path: String, body: [UInt8] = []) throws -> (Int, [UInt8]) {
        let request = try HTTPClient.Request(
            url: "http://127.0.0.1:\(port)\(path)", method: method.nio, body: body.isEmpty ? nil : .bytes(body))
        let response = try HTTPClient.shared.execute(request: request, deadline: .now() + .seconds(10)).wait()
        var buffer = response.body ?? ByteBuffer()
        return (Int(response.status.code), buffer.readBytes(length: buffer.readableBytes) ?? [])
    }

    enum HTTPMethodName { case get, post
        var nio: HTTPMethod { self == .get ? .GET : .POST }
    }

    @Test func handlerSeesMethodPathBodyAndKeepsItsStatusCodes() throws {
        let server = try SideServer(host: "127.0.0.1", port: 0, maximumBody: 64, name: "test") { request in
            switch (request.method, request.path) {
            case ("POST", "/echo"): return SideServer.Reply(status: 200, contentType: "application/octet-stream", body: request.body.reversed())
            case ("GET", "/hello?x=1"): return .text(200, "hi\n")
            default: return .text(404, "not found\n")
            }
        }
        defer { server.stop() }
        #expect(server.port > 0)
        let echoed = try Self.exchange(.post, port: server.port, path: "/echo", body: [1, 2, 3])
        #expect(echoed.0 == 200 && echoed.1 == [3, 2, 1])
        let hello = try Self.exchange(.get, port: server.port, path: "/hello?x=1")
        #expect(hello.0 == 200 && hello.1 == Array("hi\n".utf8))
        #expect(try Self.exchange(.get, port: server.port, path: "/nope").0 == 404)
        #expect(try Self.exchange(.post, port: server.port, path: "/echo", body: [UInt8](repeating: 7, count: 65)).0 == 400)
    }

    @Test func aTakenPortIsAStartError() throws {
        let first = try SideServer(host: "127.0.0.1", port: 0, name: "first") { _ in .text(200, "") }
        defer { first.stop() }
        #expect(throws: SideServer.StartError.self) {
            try SideServer(host: "127.0.0.1", port: first.port, name: "second") { _ in .text(200, "") }
        }
    }

    /// openssl builds the query, the TSA answers over HTTP (Hummingbird server, async-http-client transport),
    /// openssl verifies the reply.
    @Test(.peerExecutable("openssl")) func tsaOverHTTPVerifiedByOpenSSLTS() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        let server = try TimeStampServer(authority: try LocalTimeStampAuthority(signer: try pki.tsa.signer()))
        defer { server.stop() }
        try cli.write("data.bin", Array("time-stamp me over HTTP".utf8))
        let query = try cli.run(["ts", "-query", "-data", "data.bin", "-sha256", "-cert", "-out", "q.tsq"])
        #expect(query.status == 0, "\(query.output)")
        let reply = try HTTPTimeStampTransport().post(query: try cli.read("q.tsq"), to: server.url, timeoutSeconds: 5)
        try cli.write("r.tsr", reply)
        try cli.write("root.pem", pki.rsaRoot.certificate.pemRepresentation)
        let verified = try cli.run(["ts", "-verify", "-in", "r.tsr", "-queryfile", "q.tsq", "-CAfile", "root.pem"])
        #expect(verified.status == 0 && verified.output.contains("Verification: OK"), "\(verified.output)")
    }

    @Test func tsaAnswersOnlyPOST() throws {
        let server = try TimeStampServer(authority: try LocalTimeStampAuthority(signer: try pki.tsa.signer()))
        defer { server.stop() }
        #expect(try Self.exchange(.get, port: server.port, path: "/").0 == 405)
        let garbage = try Self.exchange(.post, port: server.port, path: "/", body: [0x30, 0x03, 0x02, 0x01, 0x05])
        #expect(garbage.0 == 200)
        #expect(try TimeStampResponse(der: garbage.1).status == 2)
    }

    @Test func transportReportsNon200AndUnreachable() throws {
        let server = try SideServer(host: "127.0.0.1", port: 0, name: "refusing") { _ in .text(503, "busy\n") }
        defer { server.stop() }
        let url = URL(string: "http://127.0.0.1:\(server.port)/")!
        #expect(throws: CryptoError(.network, "")) { try HTTPTimeStampTransport().post(query: [1], to: url, timeoutSeconds: 5) }
        let closed = URL(string: "http://127.0.0.1:1/")!
        #expect(throws: CryptoError(.network, "")) { try HTTPTimeStampTransport().post(query: [1], to: closed, timeoutSeconds: 2) }
        #expect(throws: CryptoError(.invalidArgument, "")) {
            try HTTPTimeStampTransport().post(query: [1], to: URL(string: "ftp://127.0.0.1/")!, timeoutSeconds: 2)
        }
    }
}
