import Foundation
import Postgres
import SealQueue
import Testing

/// Limits that protect shared resources, enforced by the claim in the database across real `sealpress worker`
/// processes: per-key (seal) concurrency and rate, fair share between principals, and no slot leaked by a
/// SIGKILLed worker. Unique jobs by content are enforced by `sealpress.enqueue` (race-safe).
@Suite(.serialized) struct LimitsTests {
    /// Samples `query` (one integer) every few milliseconds on its own connection until stopped; keeps the maximum.
    final class Sampler: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        private(set) var maximum = 0
        private(set) var samples = 0
        private let done = DispatchSemaphore(value: 0)

        init(url: String, query: String) throws {
            let connection = try PGConnection(url)
            Thread.detachNewThread { [self] in
                defer { connection.close(); done.signal() }
                while !lock.withLock({ stopped }) {
                    if let value = try? connection.query(query)[0].int(0) {
                        lock.withLock {
                            maximum = max(maximum, value)
                            samples += 1
                        }
                    }
                    usleep(3_000)
                }
            }
        }

        func stop() -> (maximum: Int, samples: Int) {
            lock.withLock { stopped = true }
            done.wait()
            return lock.withLock { (maximum, samples) }
        }
    }

    static func workers(_ url: String, count: Int = 3, concurrency: Int = 4, exitWhenIdle: Bool = true) throws
        -> [WorkerProcess]
    {
        try (1...count).map { index in
            try WorkerProcess(url: url, (exitWhenIdle ? ["--exit-when-idle"] : []) + [
                "--concurrency", String(concurrency), "--id", "w\(index)",
            ] + QueueTestSupport.fastWorkerArguments)
        }
    }

    /// Three processes of two slots each: the seal's limit of 3 can only be reached by jobs of two processes at
    /// once, and without the limit its jobs would fill all six slots.
    @Test func aSealLimitedToThreeNeverRunsMoreThanThreeAcrossThreeWorkerProcesses() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        try queue.setLimit(JobLimit(key: "hsm-seal", maxConcurrent: 3))
        try queue.enqueueMany(kind: "noop", argsJSON: Array(repeating: #"{"sleep_ms": 100}"#, count: 60), limitKey: "hsm-seal")
        try queue.enqueueMany(kind: "noop", argsJSON: Array(repeating: #"{"sleep_ms": 100}"#, count: 60))
        let limited = try Sampler(url: url, query: """
            SELECT count(*)::int8 FROM sealpress.jobs WHERE state = 'running' AND limit_key = 'hsm-seal'
            """)
        let processes = try Sampler(url: url, query: """
            SELECT count(DISTINCT locked_by)::int8 FROM sealpress.jobs WHERE state = 'running' AND limit_key = 'hsm-seal'
            """)
        let workers = try Self.workers(url, concurrency: 2)
        for worker in workers {
            let status = worker.wait(timeout: 120)
            #expect(status == 0, "worker exit \(String(describing: status)):\n\(worker.log)")
        }
        let limitedRun = limited.stop()
        let processRun = processes.stop()
        #expect(try QueueTestSupport.counts(connection) == [.completed: 120])
        print("limit 3: \(limitedRun.samples) samples, at most \(limitedRun.maximum) running, "
            + "at most \(processRun.maximum) processes at once")
        #expect(limitedRun.samples > 100)
        #expect(limitedRun.maximum == 3, "the seal's jobs ran \(limitedRun.maximum) at once (limit 3)")
        // The limit was shared by processes at the same moment: it is not one process's local counter.
        #expect(processRun.maximum >= 2)
        // Other jobs were claimed meanwhile: the limited seal's jobs did not block the queue.
        let overlap = try connection.query("""
            SELECT count(*)::int8 FROM sealpress.jobs j
             WHERE j.limit_key IS NULL AND j.attempted_at < (SELECT max(attempted_at) FROM sealpress.jobs
                                                              WHERE limit_key = 'hsm-seal')
            """)[0].int(0)
        #expect(overlap > 0)
        let status = try QueueStatus.read(connection)
        #expect(status.limits.first?.key == "hsm-seal" && status.limits.first?.maxConcurrent == 3)
    }

    @Test func aRateLimitedSealStartsNoMoreJobsPerSecondThanItsRateAllows() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        let rate = 10.0
        let burst = 2
        let count = 30
        try queue.setLimit(JobLimit(key: "tsa-seal", ratePerSecond: rate, burst: burst))
        try queue.enqueueMany(kind: "noop", argsJSON: Array(repeating: "{}", count: count), limitKey: "tsa-seal")
        for worker in try Self.workers(url) {
            let status = worker.wait(timeout: 120)
            #expect(status == 0, "worker exit \(String(describing: status)):\n\(worker.log)")
        }
        #expect(try QueueTestSupport.counts(connection) == [.completed: count])
        let starts = try connection.query("""
            SELECT extract(epoch FROM attempted_at)::float8 FROM sealpress.jobs ORDER BY attempted_at
            """).map { try $0.double(0) }
        // Token bucket: any window of T seconds holds at most burst + rate·T starts (+1 for clock rounding).
        var worst = 0
        for (index, start) in starts.enumerated() {
            let inWindow = starts[index...].prefix { $0 < start + 1 }.count
            worst = max(worst, inWindow)
        }
        #expect(worst <= Int(rate) + burst + 1, "\(worst) starts within one second (rate \(rate)/s, burst \(burst))")
        let span = (starts.last ?? 0) - (starts.first ?? 0)
        print("rate \(rate)/s burst \(burst): \(count) starts over \(span) s, at most \(worst) within one second")
        #expect(span >= Double(count - burst) / rate - 0.3, "\(count) starts took \(span) s")
    }

    /// Fair share: principal B's 10 jobs, enqueued while principal A's 5,000-job batch is running, finish before
    /// A has done another 1,000 — with fair share off (priority and age alone), B waits behind all of A's batch.
    @Test(arguments: [true, false])
    func aSmallBatchOfOnePrincipalIsNotStarvedByAnothersLargeBatch(fairShare: Bool) throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        if !fairShare {
            let name = try connection.query("SELECT current_database()")[0].string(0)
            try connection.execute("ALTER DATABASE \"\(name)\" SET sealpress.fair_share = off")
        }
        let queue = JobQueue(connection: connection)
        let bigBatch = 5_000
        try queue.enqueueMany(
            kind: "noop", argsJSON: Array(repeating: #"{"sleep_ms": 5}"#, count: bigBatch), principal: "bulk-office")
        let workers = try Self.workers(url, exitWhenIdle: false)
        defer { for worker in workers { worker.signal(SIGKILL); _ = worker.wait(timeout: 10) } }
        let completedA = "SELECT count(*)::int8 FROM sealpress.jobs WHERE principal = 'bulk-office' AND state = 'completed'"
        #expect(try QueueTestSupport.waitUntil(timeout: 60) { try connection.query(completedA)[0].int(0) >= 200 })
        let urgent = try queue.enqueueMany(
            kind: "noop", argsJSON: Array(repeating: #"{"sleep_ms": 5}"#, count: 10), priority: 0,
            principal: "licence-office")
        let atEnqueue = try connection.query(completedA)[0].int(0)
        let ids = urgent.map(\.id)
        let finished = try QueueTestSupport.waitUntil(timeout: 120) {
            try connection.query(
                "SELECT count(*)::int8 FROM sealpress.jobs WHERE id = ANY($1) AND state = 'completed'",
                [.int64Array(ids)])[0].int(0) == 10
        }
        #expect(finished)
        let aDoneMeanwhile = try connection.query(completedA)[0].int(0) - atEnqueue
        print("fair share \(fairShare ? "on" : "off"): A had done \(atEnqueue) of \(bigBatch) when B enqueued 10; "
            + "A did \(aDoneMeanwhile) more before B's 10 were done")
        if fairShare {
            #expect(aDoneMeanwhile < 1_000, "A finished \(aDoneMeanwhile) jobs before B's 10 were done")
        } else {
            // The bound above fails without fair share: B's jobs wait behind the rest of A's batch.
            #expect(aDoneMeanwhile >= bigBatch - atEnqueue - 50, "A finished \(aDoneMeanwhile) jobs before B's 10")
        }
    }

    @Test func aSigkilledWorkerHoldsItsSealSlotOnlyUntilItIsRescued() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        try queue.setLimit(JobLimit(key: "one-at-a-time", maxConcurrent: 1))
        try queue.enqueueMany(
            kind: "noop", argsJSON: Array(repeating: #"{"sleep_ms": 800}"#, count: 4), limitKey: "one-at-a-time")
        let running = "SELECT count(*)::int8 FROM sealpress.jobs WHERE state = 'running' AND limit_key = 'one-at-a-time'"
        let sampler = try Sampler(url: url, query: running)
        let victim = try WorkerProcess(url: url, ["--concurrency", "4", "--id", "victim"] + QueueTestSupport.fastWorkerArguments)
        #expect(try QueueTestSupport.waitUntil(timeout: 20) { try connection.query(running)[0].int(0) == 1 })
        victim.signal(SIGKILL)
        _ = victim.wait(timeout: 10)
        // The dead worker's job still counts (it may still be signing somewhere) until its heartbeat expires.
        #expect(try connection.query(running)[0].int(0) == 1)
        let survivor = try WorkerProcess(url: url, ["--concurrency", "4", "--id", "survivor", "--exit-when-idle"]
            + QueueTestSupport.fastWorkerArguments)
        let status = survivor.wait(timeout: 60)
        #expect(status == 0, "survivor exit \(String(describing: status)):\n\(survivor.log)")
        let observed = sampler.stop()
        print("slot after SIGKILL: at most \(observed.maximum) running of limit 1 over \(observed.samples) samples")
        #expect(try QueueTestSupport.counts(connection) == [.completed: 4], "the slot came back after the rescue")
        #expect(observed.maximum == 1)
        #expect(try connection.query("""
            SELECT count(*)::int8 FROM sealpress.jobs WHERE errors @> '[{"code": "workerLost"}]'::jsonb
            """)[0].int(0) == 1)
    }

    @Test func theClaimSkipsASealAtItsLimitAndTakesOtherJobs() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        try queue.setLimit(JobLimit(key: "busy", maxConcurrent: 1))
        try queue.enqueueMany(kind: "noop", argsJSON: ["{}", "{}", "{}"], priority: -5, limitKey: "busy")
        try queue.enqueueMany(kind: "noop", argsJSON: ["{}", "{}"], priority: 5)
        let worker = UUID()
        let claimed = try queue.claim(limit: 10, worker: worker, queues: nil)
        #expect(claimed.count == 3, "one job of the limited key and both others")
        #expect(claimed.filter { $0.priority == -5 }.count == 1)
        // The limited key's other jobs stay available; nothing more is claimable until its job finishes.
        #expect(try queue.claim(limit: 10, worker: worker, queues: nil).isEmpty)
        #expect(try QueueTestSupport.counts(connection)[.available] == 2)
    }

    @Test func fairShareInterleavesPrincipalsAndKeepsPriorityWithinEach() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        try queue.enqueueMany(kind: "noop", argsJSON: Array(repeating: "{}", count: 6), principal: "a")
        try queue.enqueueMany(kind: "noop", argsJSON: [#"{"n": 2}"#], priority: 5, principal: "b")
        try queue.enqueueMany(kind: "noop", argsJSON: [#"{"n": 1}"#], priority: 1, principal: "b")
        let first = try queue.claim(limit: 4, worker: UUID(), queues: nil)
        // Share = running + rank: a0 b0 (share 1), a1 b1 (share 2) — B's higher-priority job first within B.
        let principals = try connection.query(
            "SELECT principal, args ->> 'n' FROM sealpress.jobs WHERE id = ANY($1) ORDER BY principal, priority",
            [.int64Array(first.map(\.id))]).map { (try $0.string(0), try $0.optionalString(1)) }
        #expect(principals.filter { $0.0 == "a" }.count == 2)
        #expect(principals.filter { $0.0 == "b" }.map(\.1) == ["1", "2"])
    }

    @Test func uniqueByContentRefusesASecondJobEvenFromAConcurrentEnqueuer() throws {
        let url = try QueueTestSupport.freshDatabase()
        let document = Data("%PDF-1.7 the same licence \(UUID())".utf8)
        @Sendable func job(scope: String = "licence") -> NewJob {
            NewJob(kind: "noop", document: document, documentName: "a.pdf", uniqueWithinSeconds: 86_400,
                   uniqueScope: scope)
        }
        // Two producers at once, each holding its transaction open after enqueueing: the second must wait for
        // the first's commit and then see its job.
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var outcomes: [EnqueuedJob] = []
            var errors: [String] = []
        }
        let start = DispatchSemaphore(value: 0)
        let results = Results()
        let group = DispatchGroup()
        for _ in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let connection = try PGConnection(url)
                    defer { connection.close() }
                    start.wait()
                    try connection.transaction { db in
                        let result = try JobQueue(connection: db).enqueue(job())
                        _ = try db.query("SELECT pg_sleep(0.5)")
                        results.lock.withLock { results.outcomes.append(result) }
                    }
                } catch {
                    results.lock.withLock { results.errors.append("\(error)") }
                }
            }
        }
        start.signal()
        start.signal()
        group.wait()
        let outcomes = results.outcomes
        #expect(results.errors.isEmpty, "\(results.errors)")
        #expect(outcomes.map(\.outcome).sorted { $0.rawValue < $1.rawValue } == [.created, .duplicate])
        #expect(Set(outcomes.map(\.id)).count == 1, "the refusal returns the existing job's id")

        let connection = try PGConnection(url)
        defer { connection.close() }
        let queue = JobQueue(connection: connection)
        #expect(try connection.query("SELECT count(*)::int8 FROM sealpress.jobs")[0].int(0) == 1)
        #expect(try connection.query("SELECT count(*)::int8 FROM sealpress.documents")[0].int(0) == 1)
        // Another scope (pipeline) is another job; a cancelled job no longer blocks its content.
        #expect(try queue.enqueue(job(scope: "customs")).outcome == .created)
        let firstID = outcomes[0].id
        try queue.cancel(jobID: firstID)
        let again = try queue.enqueue(job())
        #expect(again.outcome == .created && again.id != firstID)
        // Not an idempotency key: without unique_within the same content is enqueued again.
        #expect(try queue.enqueue(NewJob(kind: "noop", document: document)).outcome == .created)
        // Outside the window the content is new again.
        _ = try connection.query("UPDATE sealpress.jobs SET created_at = now() - interval '2 days'")
        #expect(try queue.enqueue(job()).outcome == .created)
    }
}
