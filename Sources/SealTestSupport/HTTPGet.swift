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
}
