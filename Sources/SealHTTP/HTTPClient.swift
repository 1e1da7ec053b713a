import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One synchronous HTTP/1.1 exchange over plain TCP (no TLS): connect (any address the name resolves to), send one
/// request, read one response, close. For RFC 3161 TSAs, which serve plain HTTP with signed tokens, and for tests.
public enum HTTPClient {
    /// Sends `method target` to `host:port` and returns the parsed response.
    ///
    /// - Parameters:
    ///   - headers: extra header lines (`Accept: …`), without CRLF.
    ///   - timeoutSeconds: for the connection's sends and receives each.
    /// - Throws: ``HTTPError`` (`resolve`, `connect`, `badResponse`).
    public static func exchange(
        host: String, port: Int, method: String, target: String, headers: [String] = [],
        contentType: String = "application/octet-stream", body: [UInt8] = [], timeoutSeconds: Int = 10,
        maximumBody: Int = 1 << 20
    ) throws(HTTPError) -> HTTPMessage.Parsed {
        let fd = try connect(host: host, port: port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        HTTPMessage.write(
            to: fd, head: "\(method) \(target) HTTP/1.1\r\nHost: \(host):\(port)", contentType: contentType, body: body,
            extraHeaders: headers.map { $0 + "\r\n" }.joined())
        guard let reply = HTTPMessage.read(from: fd, maximumBody: maximumBody), reply.status != nil else {
            throw HTTPError(.badResponse, "no valid HTTP response from \(host):\(port)")
        }
        return reply
    }

    private static func connect(host: String, port: Int) throws(HTTPError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>? = nil
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else {
            throw HTTPError(.resolve, "cannot resolve \(host)")
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
        throw HTTPError(.connect, "cannot connect to \(host):\(port)")
    }
}

#if canImport(Glibc)
private let systemConnect = Glibc.connect
#elseif canImport(Darwin)
private let systemConnect = Darwin.connect
#endif
