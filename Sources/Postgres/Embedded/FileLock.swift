import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on a file, held until `unlock()` or deinit. Serialises processes (and threads,
/// since each lock opens its own file description) that start or stop the same embedded cluster.
final class FileLock {
    private var descriptor: Int32

    /// Blocks until the lock is held.
    init(path: String) throws(PGError) {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PGError(.embeddedServerFailed, "cannot open lock file \(path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            closeDescriptor(descriptor)
            throw PGError(.embeddedServerFailed, "cannot lock \(path): \(reason)")
        }
    }

    func unlock() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        closeDescriptor(descriptor)
        descriptor = -1
    }

    deinit { unlock() }
}

private func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(descriptor)
    #else
        _ = Darwin.close(descriptor)
    #endif
}
