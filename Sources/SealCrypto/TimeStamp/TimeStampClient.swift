import Foundation
import SealHTTP

/// An RFC 3161 client over HTTP/1.1 (`POST application/timestamp-query`), plain `http://` URLs.
///
/// Synchronous by design: it is called from signing code running on worker threads. HTTPS TSAs are not
/// supported by this small client (most public TSAs serve RFC 3161 over plain HTTP; tokens are signed).
public struct TimeStampClient: TimeStampProvider {
    public let url: URL
    /// Connect + exchange timeout.
    public let timeoutSeconds: Int
    /// Trust for checking the returned token right away (nil: structure and imprint only).
    public let trust: TrustStore?

    public init(url: URL, timeoutSeconds: Int = 10, trust: TrustStore? = nil) {
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        self.trust = trust
    }

    /// Requests a token and checks it matches the request (imprint, nonce, signature).
    public func timeStampToken(digest: [UInt8], algorithm: DigestAlgorithm) throws -> [UInt8] {
        let request = TimeStampRequest(digest: digest, algorithm: algorithm)
        let responseBytes = try post(try request.derEncoded())
        let response = try TimeStampResponse(der: responseBytes)
        guard response.isGranted, let token = response.tokenDER else {
            throw CryptoError(.network, "the TSA refused the request (status \(response.status))")
        }
        let verification = TimeStampVerification.verify(tokenDER: token, digest: digest, algorithm: algorithm, trust: trust)
        guard verification.isValid else {
            throw CryptoError(.malformedTimeStamp, "the TSA's token does not verify: "
                + verification.failures.map(\.description).joined(separator: "; "))
        }
        guard verification.info?.nonce.map({ Array($0.drop(while: { $0 == 0 })) }) == request.nonce.map({ Array($0.drop(while: { $0 == 0 })) }) else {
            throw CryptoError(.malformedTimeStamp, "the TSA's token does not echo our nonce")
        }
        return token
    }

    /// POSTs a query and returns the response body.
    func post(_ body: [UInt8]) throws -> [UInt8] {
        guard url.scheme == "http", let host = url.host else {
            throw CryptoError(.invalidArgument, "only http:// TSA URLs are supported")
        }
        let path = url.path.isEmpty ? "/" : url.path + (url.query.map { "?" + $0 } ?? "")
        let reply: HTTPMessage.Parsed
        do {
            reply = try HTTPClient.exchange(
                host: host, port: url.port ?? 80, method: "POST", target: path,
                headers: ["Accept: application/timestamp-reply"], contentType: "application/timestamp-query",
                body: body, timeoutSeconds: timeoutSeconds)
        } catch {
            throw CryptoError(.network, "TSA \(host): \(error.reason)")
        }
        guard reply.status == 200 else {
            throw CryptoError(.network, "TSA answered \(reply.startLine)")
        }
        return reply.body
    }
}
