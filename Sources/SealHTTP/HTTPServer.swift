import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server over POSIX sockets: one accept thread, each request served on a Dispatch queue, one
/// request per connection (`Connection: close`). For small side services of a process — the local TSA
/// (`sealpress tsa serve`) and a worker's `/metrics` — not for the internet.
public final class HTTPServer: Sendable {
    public struct Request: Sendable {
        public let method: String
        /// The request target as sent (`/metrics`, `/?x=1`).
        public let path: String
        public let body: [UInt8]
    }

    public struct Reply: Sendable {
        public let status: Int
        public let contentType: String
        public let body: [UInt8]

        public init(status: Int, contentType: String, body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }

        /// A plain-text reply.
        public static func text(_ status: Int, _ text: String) -> Reply {
            Reply(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
        }
    }

    public let host: String
    /// The bound port (the one the kernel picked when asked for port 0).
    public let port: Int
    private let listener: Int32
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    /// Binds `host:port` (an IPv4 address; port 0 picks a free one) and starts serving.
    ///
    /// - Parameters:
    ///   - maximumBody: larger request bodies are answered 400 without calling `handler`.
    ///   - threadName: the accept thread's name (shown by `top -H`, debuggers).
    /// - Throws: ``HTTPError`` (`invalidAddress`, `socket`, `listen`).
    public init(
        host: String, port: Int, maximumBody: Int = 1 << 20, threadName: String = "sealpress-http",
        handler: @escaping @Sendable (Request) -> Reply
    ) throws(HTTPError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPError(.socket, "socket() failed: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        guard (0...65535).contains(port), inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw HTTPError(.invalidAddress, "'\(host)' port \(port) is not an IPv4 address and port (such as 127.0.0.1)")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw HTTPError(.listen, "cannot listen on \(host):\(port) (\(reason))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.host = host
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        self.listener = fd
        let thread = Thread { [self] in
            acceptLoop(maximumBody: maximumBody, handler: handler)
            finished.signal()
        }
        thread.name = threadName
        thread.start()
    }

    /// Stops accepting (within 0.1 s) and closes the socket; requests already accepted finish. Idempotent.
    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
        close(listener)
    }

    deinit { stop() }

    private func acceptLoop(maximumBody: Int, handler: @escaping @Sendable (Request) -> Reply) {
        while running.load(ordering: .acquiring) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            DispatchQueue.global().async {
                Self.serve(client: client, maximumBody: maximumBody, handler: handler)
                close(client)
            }
        }
    }

    private static func serve(client: Int32, maximumBody: Int, handler: (Request) -> Reply) {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let parts = HTTPMessage.read(from: client, maximumBody: maximumBody).map { ($0, $0.startLine.split(separator: " ")) }
        guard let (message, words) = parts, words.count >= 2 else {
            respond(client, .text(400, "bad request\n"))
            return
        }
        respond(client, handler(Request(method: String(words[0]), path: String(words[1]), body: message.body)))
    }

    private static func respond(_ client: Int32, _ reply: Reply) {
        let reasons = [200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"]
        HTTPMessage.write(
            to: client, head: "HTTP/1.1 \(reply.status) \(reasons[reply.status] ?? "Error")", contentType: reply.contentType,
            body: reply.body)
    }
}
