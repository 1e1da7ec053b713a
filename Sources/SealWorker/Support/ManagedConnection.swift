import Postgres

/// One connection owned by one worker thread, opened on first use and dropped when it breaks, so the next use
/// reconnects.
///
/// `@unchecked Sendable`: used by exactly one thread at a time (its owner loop).
final class ManagedConnection: @unchecked Sendable {
    private let connect: @Sendable () throws -> PGConnection
    private(set) var connection: PGConnection?
    /// Incremented at every (re)connect after the first.
    private(set) var reconnects = 0
    private var opened = false

    init(_ connect: @escaping @Sendable () throws -> PGConnection) {
        self.connect = connect
    }

    /// True when the last use found the connection broken (the next use reconnects).
    var isBroken: Bool { opened && connection == nil }

    /// Runs `body` on the connection; a connection error closes it and is rethrown.
    func use<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let live: PGConnection
        if let connection {
            live = connection
        } else {
            live = try connect()
            if opened { reconnects += 1 }
            opened = true
            connection = live
        }
        do {
            return try body(live)
        } catch let error as PGError where error.isConnectionError {
            drop()
            throw error
        }
    }

    /// Closes the connection (the next use reconnects).
    func drop() {
        connection?.close()
        connection = nil
    }
}
