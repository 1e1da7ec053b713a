import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wakes a thread blocked in ``PGConnection/waitForNotifications(timeout:)`` from any other thread,
/// for example to stop a listener promptly on SIGTERM. Wakes that arrive while nobody waits make the
/// next wait return at once.
///
/// `Sendable`: owns a non-blocking self-pipe whose descriptors never change; `write` is thread-safe.
public final class PGWaker: Sendable {
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    init() throws(PGError) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw PGError(.connectionFailed, "cannot create a wake-up pipe: \(String(cString: strerror(errno)))")
        }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
    }

    deinit {
        _ = close(readDescriptor)
        _ = close(writeDescriptor)
    }

    /// Makes the current or next wait return (with the notifications it has, possibly none).
    public func wake() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)  // a full pipe already means "wake"
    }

    /// Empties the pipe; true when a wake was pending.
    func drain() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64)
        var woke = false
        while buffer.withUnsafeMutableBytes({ read(readDescriptor, $0.baseAddress, $0.count) }) > 0 { woke = true }
        return woke
    }
}
