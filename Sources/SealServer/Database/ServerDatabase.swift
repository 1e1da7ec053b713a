import Dispatch
public import Foundation
public import Postgres
import Synchronization

/// The server's connections to its database. libpq blocks, so every query runs on a Dispatch thread (never on the
/// cooperative pool or an event loop), at most ``maximumConnections`` at once; healthy idle connections are
/// reused.
public final class ServerDatabase: Sendable {
    public let url: String
    public let maximumConnections: Int
    private let idle = Mutex<[PGConnection]>([])
    private let slots: DispatchSemaphore
    private let queue = DispatchQueue(label: "sealpress.serve.database", attributes: .concurrent)

    public init(url: String, maximumConnections: Int = 4) {
        self.url = url
        self.maximumConnections = max(1, maximumConnections)
        self.slots = DispatchSemaphore(value: max(1, maximumConnections))
    }

    deinit {
        for connection in idle.withLock({ $0 }) { connection.close() }
    }

    /// Runs `body` with a connection on a Dispatch thread.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                self.slots.wait()
                defer { self.slots.signal() }
                do {
                    let connection = try self.checkOut()
                    defer { self.checkIn(connection) }
                    continuation.resume(returning: try body(connection))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private func checkOut() throws -> PGConnection {
        if let connection = idle.withLock({ $0.popLast() }) {
            if connection.isHealthy { return connection }
            connection.close()
        }
        return try PGConnection(url)
    }

    private func checkIn(_ connection: PGConnection) {
        guard connection.isHealthy, !connection.isInTransaction else {
            connection.close()
            return
        }
        let kept = idle.withLock { pool -> Bool in
            guard pool.count < maximumConnections else { return false }
            pool.append(connection)
            return true
        }
        if !kept { connection.close() }
    }
}
