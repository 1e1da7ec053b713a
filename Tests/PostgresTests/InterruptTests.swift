import Dispatch
import Foundation
import Postgres
import SealTestSupport
import Testing

/// Stopping a worker promptly: wake a blocked listener, cancel a running statement.
@Suite struct InterruptTests {
    let url: String

    init() throws {
        url = try TestPostgres.shared.makeDatabase(prefix: "interrupt")
    }

    @Test func wakerEndsAWaitFromAnotherThread() throws {
        let listener = try PGConnection(url)
        try listener.listen("never")
        let waker = listener.waker
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) { waker.wake() }
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try listener.waitForNotifications(timeout: .seconds(30)).isEmpty)
        #expect(clock.now - start < .seconds(5))
        // A wake consumed once does not end the next wait early.
        let again = clock.now
        #expect(try listener.waitForNotifications(timeout: .milliseconds(200)).isEmpty)
        #expect(clock.now - again >= .milliseconds(190))
    }

    @Test func wakeBeforeWaitingReturnsAtOnce() throws {
        let listener = try PGConnection(url)
        listener.waker.wake()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try listener.waitForNotifications(timeout: .seconds(30)).isEmpty)
        #expect(clock.now - start < .seconds(5))
    }

    @Test func cancellerStopsALongStatementAndTheConnectionStaysUsable() throws {
        let connection = try PGConnection(url)
        let canceller = try #require(connection.makeCanceller())
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { canceller.cancel() }
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: PGError.self) { try connection.query("SELECT pg_sleep(30)") }
        #expect(error?.sqlState == "57014")
        #expect(error?.isConnectionError == false)
        #expect(clock.now - start < .seconds(10))
        #expect(try connection.query("SELECT 1 AS one")[row: 0].int("one") == 1)
    }
}
