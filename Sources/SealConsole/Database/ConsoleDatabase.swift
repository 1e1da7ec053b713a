import Dispatch
import Postgres
import Synchronization

/// Runs the console's blocking libpq calls on threads of its own Dispatch queue, at most `maximumConnections` at
/// once, each on a pooled connection (a broken one is closed instead of returned).
final class ConsoleDatabase: Sendable {
    private let url: String
    private let idle = Mutex<[PGConnection]>([])
    private let slots: DispatchSemaphore
    private let maximumConnections: Int
    let queue = DispatchQueue(label: "sealpress.console.database", attributes: .concurrent)

    init(url: String, maximumConnections: Int) {
        self.url = url
        self.maximumConnections = max(1, maximumConnections)
        self.slots = DispatchSemaphore(value: max(1, maximumConnections))
    }

    /// Runs `body` on a pooled connection off the caller's thread.
    func run<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                self.slots.wait()
                defer { self.slots.signal() }
                continuation.resume(with: Result { try self.withConnection(body) })
            }
        }
    }

    private func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let connection = try idle.withLock { $0.popLast() } ?? PGConnection(url)
        do {
            let value = try body(connection)
            giveBack(connection)
            return value
        } catch let error as PGError {
            if error.isConnectionError { connection.close() } else { giveBack(connection) }
            throw error
        } catch {
            giveBack(connection)
            throw error
        }
    }

    private func giveBack(_ connection: PGConnection) {
        let kept = idle.withLock { list -> Bool in
            guard list.count < maximumConnections, connection.isHealthy, !connection.isInTransaction else { return false }
            list.append(connection)
            return true
        }
        if !kept { connection.close() }
    }

    func closeAll() {
        let all = idle.withLock { list -> [PGConnection] in
            defer { list.removeAll() }
            return list
        }
        for connection in all { connection.close() }
    }
}

extension ConsoleDatabase {
    /// Runs CPU-heavy work (verification) on the console's queue, off the event loops, without a connection.
    func runDetached<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
