import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A minimal HTTP GET for tests (FoundationNetworking is not linked into the tests), on async-http-client.
public enum HTTPGet {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// Returns the status code and body of `GET path` on `host:port`. Waits on a NIO future (not the Swift
    /// concurrency pool).
    public static func get(port: Int, path: String, host: String = "127.0.0.1") throws -> (status: Int, body: String) {
        do {
            let request = try HTTPClient.Request(url: "http://\(host):\(port)\(path)", method: .GET)
            let response = try HTTPClient.shared.execute(request: request, deadline: .now() + .seconds(10)).wait()
            var body = response.body ?? ByteBuffer()
            return (Int(response.status.code), body.readString(length: body.readableBytes) ?? "")
        } catch {
            throw Failure(description: "GET http://\(host):\(port)\(path) failed: \(error)")
        }
    }

    /// One request: the status code, the headers (lower-case names) and the body; redirects are not followed.
    public static func exchange(
        port: Int, method: String = "GET", path: String, headers: [String] = [],
        contentType: String = "application/x-www-form-urlencoded", body: String = "", host: String = "127.0.0.1"
    ) throws -> (status: Int, headers: [String: String], body: String) {
        do {
            let reply = try HTTPClient.exchange(
                host: host, port: port, method: method, target: path, headers: headers, contentType: contentType,
                body: Array(body.utf8), maximumBody: 16 << 20)
            return (reply.status ?? 0, reply.headers, String(decoding: reply.body, as: UTF8.self))
        } catch {
            throw Failure(description: error.description)
        }
    }
}
