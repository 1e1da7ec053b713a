import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SealCrypto

/// Fetches CRLs (GET) and OCSP responses (POST) over HTTP(S) with async-http-client, for ``RevocationChecker``.
///
/// The verifiers are synchronous (they run on the CLI's main thread and on the worker's Dispatch slots), so each
/// fetch waits for its future on the calling thread, bounded by `timeout`. It must never be called on a SwiftNIO
/// event-loop thread (the verifiers never are). The process-wide `HTTPClient.shared` carries the connections:
/// it needs no shutdown.
public struct HTTPRevocationFetcher: RevocationFetcher {
    /// The longest one fetch may take, connection included.
    public var timeout: Duration
    /// The largest CRL or OCSP response accepted.
    public var maximumBodySize: Int

    public init(timeout: Duration = .seconds(10), maximumBodySize: Int = 32 << 20) {
        self.timeout = timeout
        self.maximumBodySize = maximumBodySize
    }

    public func get(_ url: String) throws(CryptoError) -> [UInt8] {
        try fetch(url, method: .GET, body: nil, contentType: nil)
    }

    public func post(_ url: String, body: [UInt8], contentType: String) throws(CryptoError) -> [UInt8] {
        try fetch(url, method: .POST, body: body, contentType: contentType)
    }

    private func fetch(_ url: String, method: HTTPMethod, body: [UInt8]?, contentType: String?) throws(CryptoError)
        -> [UInt8]
    {
        let host = URL(string: url)?.host ?? "the server"
        let request: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            if let contentType { headers.add(name: "Content-Type", value: contentType) }
            // One request per connection: small responders (openssl ocsp) serve one connection at a time and
            // would wait on an idle kept-alive one.
            headers.add(name: "Connection", value: "close")
            request = try HTTPClient.Request(
                url: url, method: method, headers: headers, body: body.map { .bytes($0) })
        } catch {
            throw CryptoError(.invalidArgument, "\(url) is not a usable revocation URL")
        }
        let milliseconds = Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let response: HTTPClient.Response
        do {
            response = try HTTPClient.shared.execute(
                request: request, delegate: ResponseAccumulator(request: request, maxBodySize: maximumBodySize),
                deadline: .now() + .milliseconds(milliseconds)
            ).futureResult.wait()
        } catch {
            throw CryptoError(
                .network, "\(host) did not answer within \(milliseconds / 1000) s or refused the connection",
                detail: String(describing: error))
        }
        guard response.status == .ok else {
            throw CryptoError(.network, "\(host) answered HTTP \(response.status.code)")
        }
        guard let buffer = response.body, buffer.readableBytes > 0 else {
            throw CryptoError(.network, "\(host) answered with an empty body")
        }
        return Array(buffer.readableBytesView)
    }
}
