import Dispatch
import Foundation
import Postgres
import SealTestSupport
import Testing

@Suite struct NotificationTests {
    let url: String
    let listener: PGConnection
    let sender: PGConnection

    init() throws {
        url = try TestPostgres.shared.makeDatabase(prefix: "notify")
        listener = try PGConnection(url)
        sender = try PGConnection(url)
    }

    @Test func notifyWakesAWaitingListenerPromptly() throws {
        try listener.listen("jobs_available")
        let clock = ContinuousClock()
        let sent = clock.now
        // The sender runs on its own thread while this thread blocks in waitForNotifications.
        let sender = self.sender
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) {
            try? sender.notify("jobs_available", payload: "stamp:42")
        }
        let received = try listener.waitForNotifications(timeout: .seconds(30))
        let elapsed = clock.now - sent
        #expect(received == [PGNotification(channel: "jobs_available", payload: "stamp:42", pid: sender.backendPID)])
        #expect(elapsed < .seconds(1))
    }

    @Test func timeoutReturnsEmptyWithoutBusyWaiting() throws {
        try listener.listen("quiet")
        let clock = ContinuousClock()
        let start = clock.now
        let received = try listener.waitForNotifications(timeout: .milliseconds(300))
        let elapsed = clock.now - start
        #expect(received.isEmpty)
        #expect(elapsed >= .milliseconds(290))
        #expect(elapsed < .seconds(5))
    }

    @Test func bufferedNotificationsReturnAtOnceAndInOrder() throws {
        try listener.listen("batch")
        try sender.transaction { tx in
            for index in 1...3 { try tx.notify("batch", payload: "\(index)") }
        }
        // A query on the listener reads the notifications into libpq's buffer as a side effect.
        try listener.query("SELECT pg_sleep(0.1)")
        let clock = ContinuousClock()
        let start = clock.now
        var payloads = try listener.waitForNotifications(timeout: .seconds(30)).map(\.payload)
        while payloads.count < 3 {
            payloads += try listener.waitForNotifications(timeout: .seconds(30)).map(\.payload)
        }
        #expect(payloads == ["1", "2", "3"])
        #expect(clock.now - start < .seconds(1))
    }

    @Test func channelNamesAreQuotedSafely() throws {
        let channel = "Seal \"Queue\"; DROP TABLE x; 印章"
        try listener.listen(channel)
        #expect(listener.listenedChannels == [channel])
        try sender.notify(channel, payload: "ok")
        let received = try listener.waitForNotifications(timeout: .seconds(30))
        #expect(received.map(\.channel) == [channel])
        try listener.unlisten(channel)
        #expect(listener.listenedChannels.isEmpty)
        try sender.notify(channel, payload: "after unlisten")
        #expect(try listener.waitForNotifications(timeout: .milliseconds(200)).isEmpty)
    }

    @Test func notificationsInsideARolledBackTransactionAreNeverDelivered() throws {
        try listener.listen("rolled_back")
        struct Abort: Error {}
        _ = try? sender.transaction { tx in
            try tx.notify("rolled_back", payload: "x")
            throw Abort()
        }
        #expect(try listener.waitForNotifications(timeout: .milliseconds(300)).isEmpty)
    }
}

extension NotificationTests {
    @Test func overlongOrEmptyChannelNamesAreRejectedBeforeReachingTheServer() throws {
        let long = String(repeating: "印", count: 22)  // 66 bytes
        #expect(throws: PGError(.invalidArgument, "")) { try listener.listen(long) }
        #expect(throws: PGError(.invalidArgument, "")) { try sender.notify("", payload: "x") }
        #expect(listener.listenedChannels.isEmpty)
    }
}
