internal import CSealPQ
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - LISTEN / NOTIFY

extension PGConnection {
    /// Starts listening on `channel` (quoted as an identifier, so any text is safe).
    /// ``reset()`` re-LISTENs automatically.
    public func listen(_ channel: String) throws(PGError) {
        try Self.validateChannel(channel)
        try execute("LISTEN \(Self.quoteIdentifier(channel))")
        recordListen(channel)
    }

    /// Stops listening on `channel`.
    public func unlisten(_ channel: String) throws(PGError) {
        try execute("UNLISTEN \(Self.quoteIdentifier(channel))")
        recordUnlisten(channel)
    }

    /// Sends a notification (`SELECT pg_notify($1, $2)`); inside a transaction it is delivered at COMMIT.
    public func notify(_ channel: String, payload: String = "") throws(PGError) {
        try Self.validateChannel(channel)
        try query("SELECT pg_notify($1, $2)", [.text(channel), .text(payload)])
    }

    /// Waits until at least one notification arrives or `timeout` passes.
    ///
    /// Returns at once with notifications already buffered (for example ones that arrived during a query).
    /// Otherwise it sleeps in `poll()` on the connection's socket, so waiting costs no CPU.
    ///
    /// ``waker`` interrupts the wait from another thread (it then returns what has arrived, often `[]`).
    ///
    /// - Returns: the notifications received, oldest first; `[]` on timeout or wake-up.
    /// - Throws: ``PGError/Code/connectionLost`` when the connection breaks while waiting.
    public func waitForNotifications(timeout: Duration) throws(PGError) -> [PGNotification] {
        return try exclusive("waitForNotifications") { () throws(PGError) -> [PGNotification] in
            let handle = try liveHandle()
            var received = drainNotifications(handle)
            if !received.isEmpty { return received }
            if waker.drain() { return [] }  // woken before we started waiting
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: timeout)
            while true {
                let socket = PQsocket(handle)
                guard socket >= 0 else { throw PGError(.connectionLost, "the connection has no socket") }
                let remaining = clock.now.duration(to: deadline)
                if remaining <= .zero { return [] }
                let (seconds, attoseconds) = remaining.components
                let milliseconds = min(Int64(Int32.max), seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
                var descriptors = [
                    pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: waker.readDescriptor, events: Int16(POLLIN), revents: 0),
                ]
                let ready = poll(&descriptors, 2, Int32(milliseconds))
                if ready < 0 {
                    if errno == EINTR { continue }
                    throw PGError(.connectionLost, "poll() failed: \(String(cString: strerror(errno)))")
                }
                if ready == 0 { continue }  // loop re-checks the deadline
                if descriptors[1].revents != 0, waker.drain() {
                    // Woken by another thread: hand back whatever already arrived.
                    if descriptors[0].revents != 0 { _ = PQconsumeInput(handle) }
                    return drainNotifications(handle)
                }
                if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK {
                    throw PGError(.connectionLost, "the connection broke while waiting: \(Self.errorMessage(handle))")
                }
                received = drainNotifications(handle)
                if !received.isEmpty { return received }
            }
        }
    }

    /// Notifications already received, without waiting (reads what the socket holds).
    public func pendingNotifications() throws(PGError) -> [PGNotification] {
        return try exclusive("pendingNotifications") { () throws(PGError) -> [PGNotification] in
            let handle = try liveHandle()
            if PQconsumeInput(handle) == 0 {
                throw PGError(.connectionLost, "the connection broke: \(Self.errorMessage(handle))")
            }
            return drainNotifications(handle)
        }
    }

    /// Channel names are identifiers: 1…63 bytes (longer ones would be truncated by LISTEN but rejected by NOTIFY).
    static func validateChannel(_ channel: String) throws(PGError) {
        guard !channel.isEmpty, channel.utf8.count <= 63 else {
            throw PGError(.invalidArgument, "a channel name must be 1 to 63 bytes long")
        }
    }

    private func drainNotifications(_ handle: OpaquePointer) -> [PGNotification] {
        var notifications: [PGNotification] = []
        while let notify = PQnotifies(handle) {
            let channel = notify.pointee.relname.map { String(cString: $0) } ?? ""
            let payload = notify.pointee.extra.map { String(cString: $0) } ?? ""
            notifications.append(PGNotification(channel: channel, payload: payload, pid: notify.pointee.be_pid))
            PQfreemem(notify)
        }
        return notifications
    }
}
