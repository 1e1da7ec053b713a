import Postgres
import Synchronization

/// A small pool of idle connections for short reads made by handlers (loading a document). A connection is held
/// only for the statement, never for the whole job.
/// A borrowed connection has one user.
final class ConnectionPool: Sendable {
    private let connect: @Sendable () throws -> PGConnection
    private let idle = Mutex<[PGConnection]>([])
    private let maximumIdle: Int

    init(maximumIdle: Int, connect: @escaping @Sendable () throws -> PGConnection) {
        self.maximumIdle = maximumIdle
        self.connect = connect
    }

    /// Runs `body` on a pooled connection; a broken connection is discarded instead of returned.
    func with<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let connection = try idle.withLock { $0.popLast() } ?? connect()
        do {
            let value = try body(connection)
            giveBack(connection)
            return value
        } catch let error as PGError where error.isConnectionError {
            connection.close()
            throw error
        } catch {
            giveBack(connection)
            throw error
        }
    }

    private func giveBack(_ connection: PGConnection) {
        let kept = idle.withLock { list -> Bool in
            guard list.count < maximumIdle, connection.isHealthy, !connection.isInTransaction else { return false }
            list.append(connection)
            return true
        }
        if !kept { connection.close() }
    }

    /// Closes every idle connection.
    func closeAll() {
        let all = idle.withLock { list -> [PGConnection] in
            let all = list
            list.removeAll()
            return all
        }
        for connection in all { connection.close() }
    }
}
