import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1
public import SealCrypto

/// RFC 3161 over HTTP(S) on async-http-client: the ``TimeStampTransport`` the CLI, the workers and the tests use.
///
/// Synchronous callers (signing code on worker threads) wait on the request's future: the exchange runs on NIO's
/// event loops, never on the Swift concurrency pool, so a waiting thread does not starve it (as RemoteSigner does).
public struct HTTPTimeStampTransport: TimeStampTransport {
    private let client: HTTPClient

    public init() { client = .shared }

    public func post(query: [UInt8], to url: URL, timeoutSeconds: Int) throws -> [UInt8] {
        guard url.scheme == "http" || url.scheme == "https", let host = url.host else {
            throw CryptoError(.invalidArgument, "the TSA URL must be http:// or https:// (got \(url.absoluteString))")
        }
        let response: HTTPClient.Response
        do {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/timestamp-query")
            headers.add(name: "Accept", value: "application/timestamp-reply")
            let request = try HTTPClient.Request(url: url.absoluteString, method: .POST, headers: headers, body: .bytes(query))
            let deadline = NIODeadline.now() + .seconds(Int64(max(timeoutSeconds, 1)))
            response = try client.execute(request: request, deadline: deadline).wait()
        } catch {
            throw CryptoError(.network, "TSA \(host) cannot be reached within \(timeoutSeconds) s; check the TSA URL or retry later")
        }
        guard response.status == .ok else {
            throw CryptoError(.network, "TSA \(host) answered HTTP \(response.status.code)")
        }
        guard var body = response.body else { return [] }
        guard body.readableBytes <= 1 << 20 else { throw CryptoError(.network, "TSA \(host) sent an oversized answer") }
        return body.readBytes(length: body.readableBytes) ?? []
    }
}

extension TimeStampClient {
    /// A client for `url` over ``HTTPTimeStampTransport`` (http:// or https://).
    public init(url: URL, timeoutSeconds: Int = 10, trust: TrustStore? = nil) {
        self.init(url: url, timeoutSeconds: timeoutSeconds, trust: trust, transport: HTTPTimeStampTransport())
    }
}
