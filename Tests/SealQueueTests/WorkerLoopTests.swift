@testable import SealWorker
import Testing

/// The fetcher's state machine, driven without IO or a clock.
@Suite struct WorkerLoopTests {
    let second: UInt64 = 1_000_000_000

    func makeLoop(concurrency: Int = 4, exitWhenIdle: Bool = false) -> WorkerLoop {
        WorkerLoop(concurrency: concurrency, exitWhenIdle: exitWhenIdle, pollSeconds: 2, cooldownSeconds: 0.01)
    }

    @Test func claimsOnlyFreeSlots() {
        var loop = makeLoop(concurrency: 4)
        #expect(loop.next(now: second, hasResults: false) == .claim(limit: 4, promoteFirst: false))
        loop.claimed(requested: 4, got: 3, now: second, jitter: 0.5)
        #expect(loop.inFlight == 3)
        // Partial batch: the queue is drained; wait for a NOTIFY or the poll, not a busy loop.
        guard case .wait = loop.next(now: second + 1, hasResults: false) else {
            Issue.record("expected to wait")
            return
        }
        loop.notified()
        #expect(loop.next(now: second + 2, hasResults: false) == .claim(limit: 1, promoteFirst: false))
        loop.claimed(requested: 1, got: 1, now: second + 2, jitter: 0.5)
        // Full: nothing to claim until a job finishes.
        guard case .wait = loop.next(now: second + 3, hasResults: false) else {
            Issue.record("expected to wait while full")
            return
        }
        loop.finished(2)
        // Results are written and the freed slots refilled in the same statement.
        #expect(loop.next(now: second + 4, hasResults: true) == .flush(claimLimit: 2))
        loop.claimed(requested: 2, got: 2, now: second + 4, jitter: 0.5)
        #expect(loop.inFlight == 4)
    }

    @Test func pollsWhenNoNotificationArrives() {
        var loop = makeLoop()
        _ = loop.next(now: second, hasResults: false)
        loop.claimed(requested: 4, got: 0, now: second, jitter: 0.5)  // next poll at +2 s
        guard case .wait(let until) = loop.next(now: second + 1, hasResults: false) else {
            Issue.record("expected to wait")
            return
        }
        #expect(until == 3 * second)
        #expect(loop.next(now: 3 * second, hasResults: false) == .claim(limit: 4, promoteFirst: false))
    }

    @Test func resultsCoalesceWhileOtherJobsRun() {
        var loop = WorkerLoop(concurrency: 10, exitWhenIdle: false, pollSeconds: 2, cooldownSeconds: 0,
                              coalesceSeconds: 0.002)
        _ = loop.next(now: second, hasResults: false)
        loop.claimed(requested: 10, got: 10, now: second, jitter: 0)
        loop.finished(1)
        // One result, nine jobs still running: wait up to 2 ms for company.
        #expect(loop.next(now: second + 1000, pendingResults: 1, oldestResultNanoseconds: second)
            == .wait(untilNanoseconds: second + 2_000_000))
        // Everything here finished: write now.
        loop.finished(9)
        #expect(loop.next(now: second + 2000, pendingResults: 10, oldestResultNanoseconds: second)
            == .flush(claimLimit: 10))
        loop.claimed(requested: 10, got: 10, now: second + 2000, jitter: 0)
        loop.finished(1)
        // The delay ran out.
        #expect(loop.next(now: second + 3_000_000, pendingResults: 1, oldestResultNanoseconds: second + 900_000)
            == .flush(claimLimit: 1))
    }

    @Test func gracefulStopDrainsThenStops() {
        var loop = makeLoop()
        _ = loop.next(now: second, hasResults: false)
        loop.claimed(requested: 4, got: 2, now: second, jitter: 0)
        loop.stopRequested(now: second, graceSeconds: 10)
        #expect(loop.next(now: 2 * second, hasResults: false) == .wait(untilNanoseconds: 11 * second))
        loop.notified()  // a NOTIFY while draining must not claim
        #expect(loop.next(now: 2 * second, hasResults: false) == .wait(untilNanoseconds: 11 * second))
        loop.finished(2)
        #expect(loop.next(now: 3 * second, hasResults: true) == .flush(claimLimit: 0), "no claim while draining")
        #expect(loop.next(now: 3 * second, hasResults: false) == .stop)
    }

    @Test func graceExpiryReleasesInFlightJobs() {
        var loop = makeLoop()
        _ = loop.next(now: second, hasResults: false)
        loop.claimed(requested: 4, got: 4, now: second, jitter: 0)
        loop.stopRequested(now: second, graceSeconds: 5)
        #expect(loop.next(now: 6 * second, hasResults: false) == .releaseInFlight)
        loop.released()
        #expect(loop.next(now: 6 * second, hasResults: false) == .stop)
    }

    @Test func secondStopRequestEndsGraceAtOnce() {
        var loop = makeLoop()
        _ = loop.next(now: second, hasResults: false)
        loop.claimed(requested: 4, got: 1, now: second, jitter: 0)
        loop.stopRequested(now: second, graceSeconds: 30)
        loop.stopRequested(now: 2 * second, graceSeconds: 30)
        #expect(loop.next(now: 2 * second, hasResults: false) == .releaseInFlight)
    }

    @Test func exitWhenIdleConfirmsWithPromoteBeforeStopping() {
        var loop = makeLoop(exitWhenIdle: true)
        #expect(loop.next(now: second, hasResults: false) == .claim(limit: 4, promoteFirst: false))
        loop.claimed(requested: 4, got: 0, now: second, jitter: 0)
        // Second look promotes due jobs first, after the cooldown only.
        guard case .wait = loop.next(now: second, hasResults: false) else {
            Issue.record("expected the cooldown")
            return
        }
        #expect(loop.next(now: 2 * second, hasResults: false) == .claim(limit: 4, promoteFirst: true))
        loop.claimed(requested: 4, got: 0, now: 2 * second, jitter: 0)
        #expect(loop.next(now: 3 * second, hasResults: false) == .stop)
    }

    @Test func exitWhenIdleWaitsForInFlightJobs() {
        var loop = makeLoop(concurrency: 2, exitWhenIdle: true)
        _ = loop.next(now: second, hasResults: false)
        loop.claimed(requested: 2, got: 1, now: second, jitter: 0)
        _ = loop.next(now: 2 * second, hasResults: false)
        loop.claimed(requested: 1, got: 0, now: 2 * second, jitter: 0)
        loop.claimed(requested: 1, got: 0, now: 2 * second, jitter: 0)
        #expect(loop.next(now: 3 * second, hasResults: false) != .stop, "a job still runs here")
        loop.finished(1)
        // After the job, look again (its failure may have made it available) before exiting.
        #expect(loop.next(now: 4 * second, hasResults: true) == .flush(claimLimit: 2))
        loop.claimed(requested: 2, got: 0, now: 4 * second, jitter: 0)
        #expect(loop.next(now: 5 * second, hasResults: false) == .claim(limit: 2, promoteFirst: true))
    }
}
