/// The fetcher's decisions as a value state machine (no IO, no clock of its own): given what happened, what to do
/// next. ``Worker`` feeds it events and performs its actions; the unit tests drive it directly.
///
/// Phases: `running` (claim while slots are free) → `draining` (a stop was requested: claim nothing, let
/// in-flight jobs finish until the deadline) → `stopped`. Results are always flushed first, in every phase.
struct WorkerLoop: Sendable {
    enum Phase: Sendable, Equatable {
        case running
        case draining(deadlineNanoseconds: UInt64)
        case stopped
    }

    enum Action: Sendable, Equatable {
        /// Write the finished jobs' completions and failures, and claim up to `claimLimit` jobs in the same
        /// statement (0: claim nothing).
        case flush(claimLimit: Int)
        /// Claim up to `limit` jobs (`promoteFirst`: run the promoter before, to check nothing is due).
        case claim(limit: Int, promoteFirst: Bool)
        /// Sleep until this uptime, or until woken.
        case wait(untilNanoseconds: UInt64)
        /// The grace period is over: give the in-flight jobs back, then stop.
        case releaseInFlight
        /// Leave the loop.
        case stop
    }

    let concurrency: Int
    let exitWhenIdle: Bool
    let pollNanoseconds: UInt64
    let cooldownNanoseconds: UInt64
    /// How long a finished result may wait for others to share its write (while other jobs still run).
    let coalesceNanoseconds: UInt64
    private(set) var phase: Phase = .running
    private(set) var inFlight = 0
    /// Consecutive claims that returned nothing.
    private(set) var emptyClaims = 0
    /// Retryable or scheduled jobs due within the idle wait, as counted by the last idle confirmation.
    private(set) var dueSoonCount = 0
    private var claimWanted = true
    private var notBeforeNanoseconds: UInt64 = 0
    private var nextPollNanoseconds: UInt64 = 0

    init(concurrency: Int, exitWhenIdle: Bool, pollSeconds: Double, cooldownSeconds: Double,
         coalesceSeconds: Double = 0) {
        self.concurrency = max(1, concurrency)
        self.exitWhenIdle = exitWhenIdle
        self.pollNanoseconds = UInt64(max(0.001, pollSeconds) * 1e9)
        self.cooldownNanoseconds = UInt64(max(0, cooldownSeconds) * 1e9)
        self.coalesceNanoseconds = UInt64(max(0, coalesceSeconds) * 1e9)
    }

    /// Free slots.
    var freeSlots: Int { max(0, concurrency - inFlight) }

    // MARK: - Events

    /// A NOTIFY said jobs are available.
    mutating func notified() { claimWanted = true }

    /// A claim asked for `requested` and got `got` jobs. `jitter` in 0 ..< 1 spreads the next poll (±20 %).
    mutating func claimed(requested: Int, got: Int, now: UInt64, jitter: Double) {
        inFlight += got
        let spread = 0.8 + 0.4 * jitter
        nextPollNanoseconds = now + UInt64(Double(pollNanoseconds) * spread)
        if got == 0 {
            emptyClaims += 1
            notBeforeNanoseconds = now + cooldownNanoseconds
        } else {
            emptyClaims = 0
            // A full batch suggests more are waiting: claim again as soon as slots free up.
            claimWanted = got >= requested
        }
    }

    /// An idle confirmation counted `count` retryable or scheduled jobs due within the idle wait: with
    /// `exitWhenIdle`, the loop keeps polling (promoting and claiming) until none is left.
    mutating func dueSoon(_ count: Int) { dueSoonCount = max(0, count) }

    /// True while `exitWhenIdle` holds the worker for jobs due soon.
    var isWaitingForDueJobs: Bool { dueSoonCount > 0 }

    /// `count` jobs finished (their results are queued for the next flush).
    mutating func finished(_ count: Int) {
        inFlight = max(0, inFlight - count)
        emptyClaims = 0
        claimWanted = true
    }

    /// SIGTERM/SIGINT: stop claiming, drain until `now + grace`. A second request ends the grace period now.
    mutating func stopRequested(now: UInt64, graceSeconds: Double) {
        switch phase {
        case .running: phase = .draining(deadlineNanoseconds: now + UInt64(max(0, graceSeconds) * 1e9))
        case .draining: phase = .draining(deadlineNanoseconds: now)
        case .stopped: break
        }
    }

    /// The in-flight jobs were released (or abandoned): nothing runs any more.
    mutating func released() {
        inFlight = 0
        phase = .stopped
    }

    // MARK: - Decision

    private mutating func flushAction(now: UInt64) -> Action {
        guard phase == .running, freeSlots > 0, now >= notBeforeNanoseconds else { return .flush(claimLimit: 0) }
        claimWanted = false
        return .flush(claimLimit: freeSlots)
    }

    /// What to do now. `hasResults`: finished jobs wait to be flushed.
    mutating func next(now: UInt64, hasResults: Bool) -> Action {
        next(now: now, pendingResults: hasResults ? 1 : 0, oldestResultNanoseconds: 0)
    }

    /// What to do now, coalescing results: `pendingResults` finished jobs wait to be written, the first since
    /// `oldestResultNanoseconds`. They are written at once when nothing else runs here, when stopping, or after
    /// the coalescing delay — so fast jobs share one statement, and a slow job's neighbours wait at most the delay.
    mutating func next(now: UInt64, pendingResults: Int, oldestResultNanoseconds: UInt64) -> Action {
        if pendingResults > 0 {
            let due = oldestResultNanoseconds &+ coalesceNanoseconds
            if phase != .running || inFlight == 0 || now >= due {
                return flushAction(now: now)
            }
            return .wait(untilNanoseconds: due)
        }
        switch phase {
        case .stopped:
            return .stop
        case .draining(let deadline):
            if inFlight == 0 {
                phase = .stopped
                return .stop
            }
            return now >= deadline ? .releaseInFlight : .wait(untilNanoseconds: deadline)
        case .running:
            if exitWhenIdle, inFlight == 0, emptyClaims >= 2, dueSoonCount == 0 {
                phase = .stopped
                return .stop
            }
            let free = freeSlots
            guard free > 0 else { return .wait(untilNanoseconds: now + pollNanoseconds) }
            // Idle with exitWhenIdle: every claim promotes first and counts the jobs due soon.
            let confirmIdle = exitWhenIdle && inFlight == 0 && emptyClaims >= 1
            let due = claimWanted || (confirmIdle && emptyClaims == 1) || now >= nextPollNanoseconds
            if due && now >= notBeforeNanoseconds {
                claimWanted = false
                return .claim(limit: free, promoteFirst: confirmIdle)
            }
            let wake = due ? notBeforeNanoseconds : nextPollNanoseconds
            return .wait(untilNanoseconds: max(wake, now + 1))
        }
    }
}
