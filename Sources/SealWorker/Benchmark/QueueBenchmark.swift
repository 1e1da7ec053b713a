import Dispatch
import Foundation
import Logging
import Postgres
import SealQueue

/// `sealpress bench queue`: enqueues N no-op jobs into a migrated database, burns them down with W in-process
/// workers (each with its own connections, exactly as a worker process runs), and measures end-to-end jobs/s and
/// claim-to-start latency. ``PgbenchBaseline`` measures the same claim + complete on the same table with pgbench.
public struct QueueBenchmark: Sendable {
    /// What one run measured.
    public struct Result: Sendable, Codable, Hashable {
        public var jobs: Int
        public var workers: Int
        public var concurrency: Int
        public var enqueueSeconds: Double
        public var enqueuedPerSecond: Double
        /// From the first worker start to the last accepted completion.
        public var runSeconds: Double
        public var jobsPerSecond: Double
        public var claimToStart: LatencySummary
        public var completed: Int
    }

    public var jobs: Int
    public var workers: Int
    public var concurrency: Int
    public var url: String

    public init(jobs: Int, workers: Int, concurrency: Int, url: String) {
        self.jobs = jobs
        self.workers = workers
        self.concurrency = concurrency
        self.url = url
    }

    /// Empties the queue tables and enqueues `jobs` no-op jobs in batches of 5,000; returns the seconds taken.
    public static func seed(_ connection: PGConnection, jobs: Int) throws -> Double {
        try connection.execute("""
            TRUNCATE sealpress.outputs, sealpress.jobs, sealpress.batches, sealpress.workers CASCADE;
            """)
        let started = DispatchTime.now().uptimeNanoseconds
        let queue = JobQueue(connection: connection)
        var left = jobs
        while left > 0 {
            let chunk = min(5000, left)
            try queue.enqueueMany(kind: "noop", argsJSON: Array(repeating: "{}", count: chunk))
            left -= chunk
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        try connection.execute("VACUUM ANALYZE sealpress.jobs")
        try connection.execute("CHECKPOINT")
        return seconds
    }

    /// Seeds, runs the workers until the queue is empty, and checks every job completed.
    public func run(logger: Logger = Logger(label: "sealpress.bench")) throws -> Result {
        let setup = try PGConnection(url)
        defer { setup.close() }
        try Migrator.migrate(setup)
        let enqueueSeconds = try Self.seed(setup, jobs: jobs)

        let latencies = MutexBox<[UInt64]>([])
        latencies.withLock { $0.reserveCapacity(jobs) }
        let lastCompletion = MutexBox<UInt64>(0)
        let events = WorkerEvents(
            jobStarted: { _, nanoseconds in latencies.withLock { $0.append(nanoseconds) } },
            resultsRecorded: { completed, _, _ in
                if completed > 0 { lastCompletion.withLock { $0 = DispatchTime.now().uptimeNanoseconds } }
            })
        var quiet = logger
        quiet.logLevel = .warning
        let url = self.url
        let pool = (0..<workers).map { index in
            Worker(
                options: WorkerOptions(
                    concurrency: concurrency, name: "bench-\(index + 1)", exitWhenIdle: true,
                    timings: QueueTimings(pollSeconds: 1, fetchCooldownSeconds: 0.002)),
                logger: quiet, events: events) { try PGConnection(url) }
        }
        let group = DispatchGroup()
        let failures = MutexBox<[String]>([])
        let started = DispatchTime.now().uptimeNanoseconds
        for worker in pool {
            DispatchQueue(label: "sealpress.bench.\(worker.registration.name)").async(group: group) {
                do { try worker.run() } catch { failures.withLock { $0.append(String(describing: error)) } }
            }
        }
        group.wait()
        if let failure = failures.withLock({ $0.first }) { throw QueueError(.database, "a bench worker failed: \(failure)") }
        let finished = lastCompletion.withLock { $0 }
        let seconds = Double((finished > started ? finished : DispatchTime.now().uptimeNanoseconds) - started) / 1e9
        let completed = try setup.query("SELECT count(*) FROM sealpress.jobs WHERE state = 'completed'")[0].int(0)
        return Result(
            jobs: jobs, workers: workers, concurrency: concurrency, enqueueSeconds: enqueueSeconds,
            enqueuedPerSecond: Double(jobs) / max(enqueueSeconds, 1e-9), runSeconds: seconds,
            jobsPerSecond: Double(completed) / max(seconds, 1e-9),
            claimToStart: LatencySummary(nanoseconds: latencies.withLock { $0 }), completed: completed)
    }
}
