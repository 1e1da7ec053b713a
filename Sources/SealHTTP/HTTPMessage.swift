import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing one HTTP/1.1 message (Content-Length, chunked, or close-delimited bodies) on a socket.
public enum HTTPMessage {
    public struct Parsed: Sendable {
        /// `POST /path HTTP/1.1` or `HTTP/1.1 200 OK`.
        public let startLine: String
        /// Header names lower-cased.
        public let headers: [String: String]
        public let body: [UInt8]

        /// The status code of a response (nil for a request or a malformed line).
        public var status: Int? {
            guard startLine.hasPrefix("HTTP/") else { return nil }
            return startLine.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
    }

    /// Reads one message; nil when the peer closed early, the head exceeds 64 KiB or the body `maximumBody`.
    public static func read(from fd: Int32, maximumBody: Int) -> Parsed? {
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
                // `size <= maximumBody - decoded.count`, not `decoded.count + size <= …`: a hostile size line such as
                // 7fffffffffffffff must be refused, not overflow (regression input Fuzz/HTTP/regressions/chunk-size-overflow).
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0,
                    size <= maximumBody - decoded.count
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

    /// Writes a message with `Content-Length` and `Connection: close`; `head` is the start line (plus any header
    /// lines joined with CRLF), `extraHeaders` complete header lines each ending in CRLF.
    public static func write(to fd: Int32, head: String, contentType: String, body: [UInt8], extraHeaders: String = "") {
        let header = "\(head)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\(extraHeaders)Connection: close\r\n\r\n"
        writeAll(fd, Array(header.utf8) + body)
    }

    /// Sends all of `bytes` (stops quietly when the peer is gone: the reader sees a short message).
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
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
