import Foundation
import Postgres
import SealTestSupport
import Testing

/// A worker must notice a dead connection, classify it as retryable, and recover with reset().
@Suite struct ReconnectTests {
    let url: String

    init() throws {
        url = try TestPostgres.shared.makeDatabase(prefix: "reconnect")
    }

    @Test func terminatedBackendIsAConnectionErrorAndResetRelistens() throws {
        let connection = try PGConnection(url)
        try connection.listen("wake")
        let oldPID = connection.backendPID
        let error = #expect(throws: PGError.self) {
            try connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
        }
        #expect(error?.isConnectionError == true)
        #expect(error?.code == .connectionLost)
        #expect(!connection.isHealthy)
        // Later calls keep failing as connection errors until reset.
        let again = #expect(throws: PGError.self) { try connection.query("SELECT 1") }
        #expect(again?.isConnectionError == true)

        try connection.reset()
        #expect(connection.isHealthy)
        #expect(connection.backendPID != oldPID)
        #expect(connection.listenedChannels == ["wake"])
        let sender = try PGConnection(url)
        try sender.notify("wake", payload: "after reset")
        let received = try connection.waitForNotifications(timeout: .seconds(30))
        #expect(received.map(\.payload) == ["after reset"])
    }

    @Test func waitingListenerSeesATerminationAsConnectionLost() throws {
        let listener = try PGConnection(url)
        try listener.listen("idle")
        let killer = try PGConnection(url)
        try killer.query("SELECT pg_terminate_backend($1)", [.int32(listener.backendPID)])
        let error = #expect(throws: PGError.self) {
            _ = try listener.waitForNotifications(timeout: .seconds(30))
        }
        #expect(error?.isConnectionError == true)
        try listener.reset()
        try killer.notify("idle", payload: "back")
        #expect(try listener.waitForNotifications(timeout: .seconds(30)).map(\.payload) == ["back"])
    }
}
