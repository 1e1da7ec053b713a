public import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Serves `GET /metrics` (Prometheus text) and `GET /healthz` over plain HTTP/1.1 on its own thread.
///
/// Deliberately tiny: one request per connection, no keep-alive, request heads capped at 8 KiB.
public final class MetricsServer: @unchecked Sendable {  // the socket is owned here; `stop` and the accept thread coordinate via `running`
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    private let socketFD: Int32
    public let port: Int
    private let registry: MetricsRegistry
    private let running = Atomic(true)
    private let beforeRender: @Sendable () -> Void

    /// Binds and starts serving. Port 0 picks a free port (see ``port``).
    /// - Parameter beforeRender: called on each scrape before rendering, e.g. to refresh gauges from the database.
    public init(host: String = "0.0.0.0", port: Int, registry: MetricsRegistry = .shared,
                beforeRender: @escaping @Sendable () -> Void = {}) throws {
        self.registry = registry
        self.beforeRender = beforeRender
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "metrics: cannot create a socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw StartError(description: "metrics: '\(host)' is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw StartError(description: "metrics: cannot listen on \(host):\(port) (\(String(cString: strerror(errno))))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.socketFD = fd
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        let thread = Thread { [self] in self.acceptLoop() }
        thread.name = "sealpress-metrics"
        thread.start()
    }

    /// Stops accepting; in-flight responses finish.
    public func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }

    deinit { stop() }

    private func acceptLoop() {
        while running.load(ordering: .relaxed) {
            let client = accept(socketFD, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 2048)
        while request.count < 8192 {
            let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            request += buffer[0..<n]
            if request.count >= 4, request.suffix(4) == [13, 10, 13, 10] { break }
        }
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ")
        let (status, type, body): (String, String, String)
        if parts.count >= 2, parts[0] == "GET", parts[1] == "/metrics" {
            beforeRender()
            (status, type, body) = ("200 OK", "text/plain; version=0.0.4; charset=utf-8", registry.render())
        } else if parts.count >= 2, parts[0] == "GET", parts[1] == "/healthz" {
            (status, type, body) = ("200 OK", "text/plain; charset=utf-8", "ok\n")
        } else {
            (status, type, body) = ("404 Not Found", "text/plain; charset=utf-8", "not found\n")
        }
        let payload = Array(body.utf8)
        let head = "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
        let response = Array(head.utf8) + payload
        var sent = 0
        while sent < response.count {
            let n = response[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
        }
    }
}
