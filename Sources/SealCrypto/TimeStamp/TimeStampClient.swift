public import Foundation

/// How a ``TimeStampClient`` reaches a TSA: POST a DER TimeStampReq (`application/timestamp-query`) to `url` and
/// return the 200 answer's body. SealCrypto has no network code; SealNetClient's `HTTPTimeStampTransport`
/// (async-http-client) is the one used by the CLI and the pipeline.
public protocol TimeStampTransport: Sendable {
    /// - Throws: ``CryptoError`` `network` when the TSA cannot be reached or does not answer 200.
    func post(query: [UInt8], to url: URL, timeoutSeconds: Int) throws -> [UInt8]
}

/// An RFC 3161 client (`POST application/timestamp-query`) over an injected ``TimeStampTransport``.
///
/// Synchronous by design: it is called from signing code running on worker threads.
public struct TimeStampClient: TimeStampProvider {
    public let url: URL
    /// Connect + exchange timeout.
    public let timeoutSeconds: Int
    /// Trust for checking the returned token right away (nil: structure and imprint only).
    public let trust: TrustStore?
    public let transport: any TimeStampTransport

    public init(url: URL, timeoutSeconds: Int = 10, trust: TrustStore? = nil, transport: any TimeStampTransport) {
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        self.trust = trust
        self.transport = transport
    }

    /// Requests a token and checks it matches the request (imprint, nonce, signature).
    public func timeStampToken(digest: [UInt8], algorithm: DigestAlgorithm) throws -> [UInt8] {
        let request = TimeStampRequest(digest: digest, algorithm: algorithm)
        let responseBytes = try transport.post(query: try request.derEncoded(), to: url, timeoutSeconds: timeoutSeconds)
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
}
