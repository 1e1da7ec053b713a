import Foundation
import SealHTTP
import Testing

/// The small HTTP/1.1 server and client the local TSA, `/metrics` and the TSA client share.
@Suite struct HTTPServerClientTests {
    @Test func postsAndGetsAgainstALoopbackServer() throws {
        let server = try HTTPServer(host: "127.0.0.1", port: 0, maximumBody: 64) { request in
            switch (request.method, request.path) {
            case ("POST", "/echo"): return HTTPServer.Reply(status: 200, contentType: "application/octet-stream", body: request.body.reversed())
            case ("GET", "/hello"): return .text(200, "hi\n")
            default: return .text(404, "not found\n")
            }
        }
        defer { server.stop() }
        #expect(server.port > 0)
        let echoed = try HTTPClient.exchange(
            host: "127.0.0.1", port: server.port, method: "POST", target: "/echo", body: [1, 2, 3, 0xFF])
        #expect(echoed.status == 200 && echoed.body == [0xFF, 3, 2, 1])
        #expect(echoed.headers["content-type"] == "application/octet-stream")
        let hello = try HTTPClient.exchange(host: "localhost", port: server.port, method: "GET", target: "/hello")
        #expect(hello.status == 200 && String(decoding: hello.body, as: UTF8.self) == "hi\n")
        #expect(try HTTPClient.exchange(host: "127.0.0.1", port: server.port, method: "GET", target: "/nope").status == 404)
        // A body over the server's limit never reaches the handler.
        let tooBig = try HTTPClient.exchange(
            host: "127.0.0.1", port: server.port, method: "POST", target: "/echo", body: [UInt8](repeating: 7, count: 65))
        #expect(tooBig.status == 400)
    }

    @Test func setUpFailuresAreTyped() throws {
        #expect(throws: HTTPError(.invalidAddress, "")) {
            try HTTPServer(host: "not-an-address", port: 0) { _ in .text(200, "") }
        }
        let first = try HTTPServer(host: "127.0.0.1", port: 0) { _ in .text(200, "") }
        let port = first.port
        first.stop()
        // Nobody listens there any more.
        #expect(throws: HTTPError(.connect, "")) {
            try HTTPClient.exchange(host: "127.0.0.1", port: port, method: "GET", target: "/")
        }
        #expect(throws: HTTPError(.resolve, "")) {
            try HTTPClient.exchange(host: "no-such-host.invalid", port: 80, method: "GET", target: "/", timeoutSeconds: 2)
        }
    }
}
