// libFuzzer entry point for SealHTTP's message reader: the input arrives on a socket as one HTTP/1.1 message
// (a request to the metrics server or the local TSA, or a TSA's response to the client) and must be
// read into a message or refused (nil), never crash. Content-Length, chunked and close-delimited bodies.
// Built by Fuzz/HTTP/build.sh; see Docs/reliability.md, "Fuzzing".
#if canImport(Glibc)
import Glibc
#endif
import SealHTTP

@_cdecl("LLVMFuzzerTestOneInput")
public func httpFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The socket buffer holds the whole input (the build passes -max_len well below it), so one write suffices.
    guard size <= 60_000 else { return 0 }
    var fds: [Int32] = [0, 0]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else { fatalError("socketpair failed") }
    defer { close(fds[0]); close(fds[1]) }
    var sent = 0
    while sent < size {
        let count = send(fds[1], data + sent, size - sent, 0)
        guard count > 0 else { fatalError("send failed") }
        sent += count
    }
    shutdown(fds[1], Int32(SHUT_WR))
    if let message = HTTPMessage.read(from: fds[0], maximumBody: 16_384) {
        precondition(message.body.count <= 16_384 + 65_536, "body larger than the limit allows")
        _ = message.status
        _ = message.startLine.split(separator: " ")
    }
    return 0
}
