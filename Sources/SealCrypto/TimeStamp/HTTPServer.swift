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

/// A shareable stop flag.
final class RunningFlag: Sendable {
    let value = Atomic<Bool>(true)
}

/// Reading and writing one HTTP/1.1 message with a Content-Length body.
enum HTTPMessage {
    struct Parsed {
        let startLine: String
        let headers: [String: String]
        let body: [UInt8]
    }

    static func read(from fd: Int32, maximumBody: Int) -> Parsed? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        var headerEnd: Int? = nil
        while headerEnd == nil {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
            headerEnd = find([13, 10, 13, 10], in: buffer)
            if buffer.count > 65_536 && headerEnd == nil { return nil }
        }
        let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let startLine = lines.removeFirst()
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(buffer[(headerEnd! + 4)...])
        func receiveMore() -> Bool {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return false }
            body += chunk[0..<count]
            return body.count <= maximumBody + 65_536
        }
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            // Chunked replies (TSAs behind proxies): size line, data, CRLF … until a zero-size chunk.
            var decoded: [UInt8] = []
            var cursor = 0
            while true {
                while find([13, 10], in: Array(body[cursor...])) == nil { guard receiveMore() else { return nil } }
                let lineEnd = cursor + find([13, 10], in: Array(body[cursor...]))!
                let sizeText = String(decoding: body[cursor..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0,
                    decoded.count + size <= maximumBody
                else { return nil }
                cursor = lineEnd + 2
                if size == 0 { break }
                while body.count < cursor + size + 2 { guard receiveMore() else { return nil } }
                decoded += body[cursor..<(cursor + size)]
                cursor += size + 2
            }
            return Parsed(startLine: startLine, headers: headers, body: decoded)
        }
        if let lengthText = headers["content-length"] {
            guard let length = Int(lengthText), length >= 0, length <= maximumBody else { return nil }
            while body.count < length { guard receiveMore() else { return nil } }
            return Parsed(startLine: startLine, headers: headers, body: Array(body.prefix(length)))
        }
        // No length: a request has no body; a response runs until the peer closes.
        if startLine.hasPrefix("HTTP/") {
            while receiveMore() {}
            guard body.count <= maximumBody else { return nil }
        } else {
            body = []
        }
        return Parsed(startLine: startLine, headers: headers, body: body)
    }

    static func write(to fd: Int32, head: String, contentType: String, body: [UInt8], extraHeaders: String = "") {
        let header = "\(head)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\(extraHeaders)Connection: close\r\n\r\n"
        writeAll(fd, Array(header.utf8) + body)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
