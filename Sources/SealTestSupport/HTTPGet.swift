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

    /// One request: the status code, the headers (lower-case names; repeated names joined with ", ") and the
    /// body; redirects are not followed. `headers` are "Name: value" lines.
    public static func exchange(
        port: Int, method: String = "GET", path: String, headers: [String] = [],
        contentType: String = "application/x-www-form-urlencoded", body: String = "", host: String = "127.0.0.1"
    ) throws -> (status: Int, headers: [String: String], body: String) {
        do {
            var request = try HTTPClient.Request(
                url: "http://\(host):\(port)\(path)", method: HTTPMethod(rawValue: method))
            for line in headers {
                guard let colon = line.firstIndex(of: ":") else { continue }
                request.headers.add(
                    name: String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                    value: String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            }
            if method != "GET" && method != "HEAD" {
                request.headers.replaceOrAdd(name: "Content-Type", value: contentType)
                request.body = .string(body)
            }
            let response = try noRedirects.execute(request: request, deadline: .now() + .seconds(10)).wait()
            var replyHeaders: [String: String] = [:]
            for (name, value) in response.headers {
                let key = name.lowercased()
                replyHeaders[key] = replyHeaders[key].map { "\($0), \(value)" } ?? value
            }
            var reply = response.body ?? ByteBuffer()
            return (Int(response.status.code), replyHeaders, reply.readString(length: reply.readableBytes) ?? "")
        } catch {
            throw Failure(description: "\(method) http://\(host):\(port)\(path) failed: \(error)")
        }
    }

    /// A client that hands redirects back to the test (the console answers a login with 303).
    private static let noRedirects = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
}
