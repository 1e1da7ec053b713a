import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
import SealCrypto

/// The one owner of an `HTTPClient` for one service and client identity: mutual TLS (client certificate and key,
/// the service's CA as the only trust root), timeouts, JSON in and out.
///
/// Requests are BLOCKING: the HTTP exchange runs on the client's NIO event loops and the caller's thread waits on
/// the future. ``SealCrypto/Signer`` is synchronous and is called from worker slots on Dispatch and from CLI commands,
/// none of them an event loop; a caller on the Swift concurrency pool would only tie up its own thread, since the
/// answer is delivered by NIO's threads, never by the pool (no deadlock).
final class RemoteSigningClient: Sendable {
    let location: RemoteKeyLocation
    private let client: HTTPClient

    init(location: RemoteKeyLocation) throws(RemoteSignerError) {
        self.location = location
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(location.clientCertificatePath).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: location.clientKeyPath, format: .pem))
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(location.caPath))
        } catch {
            throw RemoteSignerError(
                .clientCredentials,
                "cannot load the client certificate \(location.clientCertificatePath), key \(location.clientKeyPath) or CA "
                    + "\(location.caPath) (PEM files; the key unencrypted and readable by this user only)")
        }
        tls.minimumTLSVersion = .tlsv12
        let timeout = TimeAmount.milliseconds(Int64(location.timeoutSeconds * 1000))
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: min(timeout, .seconds(5)), read: timeout)
        configuration.redirectConfiguration = .disallow
        configuration.httpVersion = .http1Only
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    deinit {
        client.shutdown { _ in }
    }

    /// GETs `path` (relative to the service) and decodes the 200 answer.
    func get<Response: Decodable>(_ path: String, as type: Response.Type) throws(RemoteSignerError) -> Response {
        try exchange(method: .GET, path: path, body: nil, as: type)
    }

    /// POSTs `body` as JSON to `path` and decodes the 200 answer.
    func post<Body: Encodable, Response: Decodable>(
        _ path: String, _ body: Body, as type: Response.Type
    ) throws(RemoteSignerError) -> Response {
        let data: Data
        do {
            data = try JSONEncoder().encode(body)
        } catch {
            throw RemoteSignerError(.rejected, "the request cannot be encoded")
        }
        return try exchange(method: .POST, path: path, body: data, as: type)
    }

    private func exchange<Response: Decodable>(
        method: HTTPMethod, path: String, body: Data?, as type: Response.Type
    ) throws(RemoteSignerError) -> Response {
        let response: HTTPClient.Response
        do {
            var headers = HTTPHeaders()
            headers.add(name: "Accept", value: "application/json")
            if body != nil { headers.add(name: "Content-Type", value: "application/json") }
            let request = try HTTPClient.Request(
                url: location.baseURL + path, method: method, headers: headers, body: body.map { .data($0) })
            let deadline = NIODeadline.now() + .milliseconds(Int64(location.timeoutSeconds * 1000))
            response = try client.execute(request: request, deadline: deadline).wait()
        } catch {
            throw Self.transportError(error, location: location)
        }
        let bytes = response.body.map { Data(buffer: $0) } ?? Data()
        guard response.status == .ok else { throw Self.statusError(response.status, bytes, location: location) }
        do {
            return try JSONDecoder().decode(Response.self, from: bytes)
        } catch {
            throw RemoteSignerError(.badResponse, "the signing service at \(location.baseURL) sent an answer that is not the expected JSON")
        }
    }

    private static func transportError(_ error: any Error, location: RemoteKeyLocation) -> RemoteSignerError {
        if let error = error as? HTTPClientError,
            [.readTimeout, .connectTimeout, .deadlineExceeded, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout]
                .contains(error)
        {
            return RemoteSignerError(
                .timeout, "the signing service at \(location.baseURL) did not answer within \(location.timeoutSeconds) s; retry later")
        }
        if error is NIOSSLError || error is BoringSSLError {
            return RemoteSignerError(
                .unavailable,
                "the TLS connection to the signing service at \(location.baseURL) failed (is the client certificate issued "
                    + "by the service's client CA, and the service's certificate by the CA given with ca=?)")
        }
        return RemoteSignerError(.unavailable, "the signing service at \(location.baseURL) cannot be reached; retry later")
    }

    private static func statusError(_ status: HTTPResponseStatus, _ body: Data, location: RemoteKeyLocation) -> RemoteSignerError {
        let message = (try? JSONDecoder().decode(RemoteErrorResponse.self, from: body))?.error.message
        let said = message.map { ": \($0)" } ?? ""
        switch status.code {
        case 403: return RemoteSignerError(.refused, "the signing service refused this client for key \(location.keyName)\(said)")
        case 404: return RemoteSignerError(.unknownKey, "the signing service holds no key \(location.keyName)\(said)")
        case 400..<500: return RemoteSignerError(.rejected, "the signing service rejected the request (\(status.code))\(said)")
        default: return RemoteSignerError(.unavailable, "the signing service answered \(status.code)\(said); retry later")
        }
    }
}
