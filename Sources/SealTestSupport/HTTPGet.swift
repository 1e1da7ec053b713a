import Foundation
import SealHTTP

/// A minimal HTTP/1.1 GET for tests (FoundationNetworking is not linked into the tests).
public enum HTTPGet {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// Returns the status code and body of `GET path` on `host:port`.
    public static func get(port: Int, path: String, host: String = "127.0.0.1") throws -> (status: Int, body: String) {
        do {
            let reply = try HTTPClient.exchange(host: host, port: port, method: "GET", target: path, maximumBody: 16 << 20)
            return (reply.status ?? 0, String(decoding: reply.body, as: UTF8.self))
        } catch {
            throw Failure(description: error.description)
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
