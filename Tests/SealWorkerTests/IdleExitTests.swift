@testable import SealWorker
import Testing

/// `--exit-when-idle` waits for retryable and scheduled jobs due soon instead of exiting while they remain.
@Suite struct IdleExitTests {
    let second: UInt64 = 1_000_000_000

    /// Runs the loop to the point where it has confirmed idleness once (two empty claims, the second promoting).
    func idleLoop() -> WorkerLoop {
        var loop = WorkerLoop(concurrency: 2, exitWhenIdle: true, pollSeconds: 2, cooldownSeconds: 0.01)
        #expect(loop.next(now: second, hasResults: false) == .claim(limit: 2, promoteFirst: false))
        loop.claimed(requested: 2, got: 0, now: second, jitter: 0.5)
        #expect(loop.next(now: 2 * second, hasResults: false) == .claim(limit: 2, promoteFirst: true))
        loop.claimed(requested: 2, got: 0, now: 2 * second, jitter: 0.5)
        return loop
    }

    @Test func nothingDueSoonStops() {
        var loop = idleLoop()
        loop.dueSoon(0)
        #expect(loop.next(now: 2 * second + 1, hasResults: false) == .stop)
    }

    @Test func aJobDueSoonKeepsThePollingUntilItRan() {
        var loop = idleLoop()
        loop.dueSoon(1)
        // Waits for the next poll instead of stopping, then promotes and claims again.
        guard case .wait(let until) = loop.next(now: 2 * second + 1, hasResults: false) else {
            Issue.record("expected to wait for the retryable job")
            return
        }
        #expect(until > 2 * second && until <= 5 * second)
        #expect(loop.next(now: 5 * second, hasResults: false) == .claim(limit: 2, promoteFirst: true))
        // The retry became due: it is claimed and runs; the loop does not stop while it runs.
        loop.claimed(requested: 2, got: 1, now: 5 * second, jitter: 0.5)
        #expect(loop.next(now: 5 * second + 1, hasResults: false) != .stop)
        loop.finished(1)
        // Idle again, and now nothing is due: it confirms once more and stops.
        #expect(loop.next(now: 6 * second, hasResults: false) == .claim(limit: 2, promoteFirst: false))
        loop.claimed(requested: 2, got: 0, now: 6 * second, jitter: 0.5)
        #expect(loop.next(now: 7 * second, hasResults: false) == .claim(limit: 2, promoteFirst: true))
        loop.claimed(requested: 2, got: 0, now: 7 * second, jitter: 0.5)
        loop.dueSoon(0)
        #expect(loop.next(now: 7 * second + 1, hasResults: false) == .stop)
    }
}
