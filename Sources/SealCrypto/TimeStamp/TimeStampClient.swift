import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let port = url.port ?? 80
        let path = url.path.isEmpty ? "/" : url.path + (url.query.map { "?" + $0 } ?? "")
        let fd = try connect(host: host, port: port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        HTTPMessage.write(
            to: fd, head: "POST \(path) HTTP/1.1\r\nHost: \(host):\(port)", contentType: "application/timestamp-query",
            body: body, extraHeaders: "Accept: application/timestamp-reply\r\n")
        guard let reply = HTTPMessage.read(from: fd, maximumBody: 1 << 20) else {
            throw CryptoError(.network, "no valid HTTP response from the TSA")
        }
        guard reply.startLine.split(separator: " ").dropFirst().first == "200" else {
            throw CryptoError(.network, "TSA answered \(reply.startLine)")
        }
        return reply.body
    }

    private func connect(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>? = nil
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else {
            throw CryptoError(.network, "cannot resolve the TSA host")
        }
        defer { freeaddrinfo(results) }
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                if systemConnect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
                close(fd)
            }
            cursor = info.pointee.ai_next
        }
        throw CryptoError(.network, "cannot connect to the TSA")
    }
}

#if canImport(Glibc)
private let systemConnect = Glibc.connect
#elseif canImport(Darwin)
private let systemConnect = Darwin.connect
#endif
