import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server over POSIX sockets: one accept thread, one request per connection
/// (`Connection: close`). Meant for loopback services such as the local TSA.
final class HTTPServer: Sendable {
    struct Request: Sendable {
        let method: String
        let path: String
        let body: [UInt8]
    }

    struct Reply: Sendable {
        let status: Int
        let contentType: String
        let body: [UInt8]
    }

    let host: String
    let port: Int
    private let listener: Int32
    private let running = RunningFlag()
    private let finished = DispatchSemaphore(value: 0)

    init(host: String, port: Int, handler: @escaping @Sendable (Request) -> Reply) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CryptoError(.io, "socket() failed: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw CryptoError(.invalidArgument, "host must be an IPv4 address such as 127.0.0.1")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw CryptoError(.io, "cannot listen on \(host):\(port) (errno \(code))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.host = host
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        self.listener = fd
        let thread = Thread { [running, finished] in
            Self.acceptLoop(fd: fd, running: running, handler: handler)
            finished.signal()
        }
        thread.name = "sealpress-http-\(self.port)"
        thread.start()
    }

    func stop() {
        guard running.value.exchange(false, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
        close(listener)
    }

    private static func acceptLoop(fd: Int32, running: RunningFlag, handler: @escaping @Sendable (Request) -> Reply) {
        while running.value.load(ordering: .acquiring) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            guard ready > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            DispatchQueue.global().async {
                serve(client: client, handler: handler)
                close(client)
            }
        }
    }

    private static func serve(client: Int32, handler: (Request) -> Reply) {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let message = HTTPMessage.read(from: client, maximumBody: 1 << 20) else {
            HTTPMessage.write(to: client, head: "HTTP/1.1 400 Bad Request", contentType: "text/plain", body: Array("bad request\n".utf8))
            return
        }
        let parts = message.startLine.split(separator: " ")
        guard parts.count >= 2 else { return }
        let reply = handler(Request(method: String(parts[0]), path: String(parts[1]), body: message.body))
        let reason = [200: "OK", 400: "Bad Request", 405: "Method Not Allowed", 503: "Service Unavailable"][reply.status] ?? "Error"
        HTTPMessage.write(to: client, head: "HTTP/1.1 \(reply.status) \(reason)", contentType: reply.contentType, body: reply.body)
    }
}
