internal import CSealPQ

/// Asks the server to cancel the statement a connection is running, from any thread (`PQcancel`).
///
/// The cancelled statement fails with SQLSTATE 57014 (query_canceled); the connection stays usable.
/// A canceller targets one backend: make a new one after ``PGConnection/reset()``.
///
/// `@unchecked Sendable`: libpq documents `PQcancel` as thread-safe; the object is immutable.
public final class PGCanceller: @unchecked Sendable {
    private let handle: OpaquePointer

    init?(connection: OpaquePointer) {
        guard let handle = PQgetCancel(connection) else { return nil }
        self.handle = handle
    }

    deinit { PQfreeCancel(handle) }

    /// Sends the cancel request. Returns false (with libpq's reason) when it could not be sent;
    /// success means only that the request was delivered, not that a statement was running.
    @discardableResult
    public func cancel() -> (sent: Bool, reason: String) {
        var buffer = [CChar](repeating: 0, count: 256)
        let sent = PQcancel(handle, &buffer, Int32(buffer.count)) == 1
        let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (sent, sent ? "" : reason)
    }
}
