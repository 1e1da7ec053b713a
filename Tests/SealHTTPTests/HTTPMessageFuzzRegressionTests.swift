import Foundation
import SealHTTP
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Inputs the HTTP fuzz target (Fuzz/HTTP) crashes on before their fix, read as the server and the TSA client
/// read a peer's message.
@Suite struct HTTPMessageFuzzRegressionTests {
    /// Reads `bytes` as one message arriving on a socket whose peer then closes its sending side.
    private func read(_ bytes: [UInt8], maximumBody: Int = 16_384) throws -> HTTPMessage.Parsed? {
        var fds: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let sent = bytes.withUnsafeBytes { send(fds[1], $0.baseAddress, $0.count, 0) }
        try #require(sent == bytes.count)
        shutdown(fds[1], Int32(SHUT_WR))
        return HTTPMessage.read(from: fds[0], maximumBody: maximumBody)
    }

    private static let regressions = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../Fuzz/HTTP/regressions").standardizedFileURL

    @Test func aChunkSizeNearIntMaxIsRefusedNotOverflowed() throws {
        // One byte read, then a size line of 2^63 - 1: adding the two trapped and killed the process.
        let message = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n7fffffffffffffff\r\n"
        #expect(try read(Array(message.utf8)) == nil)
        // A chunk that would pass the limit by one byte is refused too; one that fits is read.
        let over = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n"
        #expect(try read(Array(over.utf8), maximumBody: 4) == nil)
        #expect(try read(Array(over.utf8), maximumBody: 5)?.body == Array("abcde".utf8))
    }

    @Test func everyCheckedInRegressionInputIsReadOrRefused() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.regressions.path)
        #expect(!files.isEmpty)
        for name in files {
            let bytes = try [UInt8](Data(contentsOf: Self.regressions.appendingPathComponent(name)))
            if let message = try read(bytes) { #expect(message.body.count <= 16_384, "\(name)") }
        }
    }
}
