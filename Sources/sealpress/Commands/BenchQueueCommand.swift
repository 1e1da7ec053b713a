import ArgumentParser
import Foundation
import Postgres
import SealWorker

/// `sealpress bench queue`: no-op jobs end to end through our workers, beside pgbench's bare claim + complete.
struct BenchQueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Bench the job queue: no-op jobs/s and claim-to-start latency, beside a pgbench baseline.",
        discussion: """
            Runs in a separate database (sealpress_bench_queue, dropped and re-created) on the configured server. \
            Our side: enqueue --jobs no-op jobs, burn them down with --workers in-process workers of --concurrency \
            slots each. Baseline: pgbench with --workers clients, each claiming 10 jobs per transaction and completing \
            them in a second one, on the same table. Use a release build.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Number of no-op jobs.") var jobs: Int = 50_000
    @Option(help: "Workers (and pgbench clients).") var workers: Int = 2
    @Option(help: "Job slots per worker (10 matches pgbench's batch of 10).") var concurrency: Int = 10
    @Option(help: "Interleaved rounds (ours, pgbench, ours, …); medians are reported. The host is noisy.")
    var rounds: Int = 3
    @Flag(help: "Skip the pgbench baseline.") var skipPgbench = false
    @Flag(help: "Print JSON.") var json = false

    struct Report: Codable {
        /// The round with the median jobs/s.
        var queue: QueueBenchmark.Result
        var pgbench: PgbenchBaseline.Result?
        /// Median of ours ÷ median of pgbench.
        var ratio: Double?
        var rounds: Int
        var queueJobsPerSecondByRound: [Double]
        var pgbenchJobsPerSecondByRound: [Double]
        var host: String
        var cores: Int
    }

    func validate() throws {
        guard jobs >= 100 else { throw ValidationError("--jobs must be at least 100") }
        guard workers >= 1, concurrency >= 1 else { throw ValidationError("--workers and --concurrency must be ≥ 1") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }

    func run() throws {
        let url = try benchDatabase()
        let report: Report
        do {
            var ours: [QueueBenchmark.Result] = []
            var baselines: [PgbenchBaseline.Result] = []
            for round in 1...rounds {
                if !json { print("round \(round)/\(rounds): \(jobs) no-op jobs through \(workers) worker(s) × \(concurrency) slots …") }
                let result = try QueueBenchmark(jobs: jobs, workers: workers, concurrency: concurrency, url: url).run()
                if !json { print(String(format: "  sealpress %.0f jobs/s", result.jobsPerSecond)) }
                ours.append(result)
                if !skipPgbench {
                    let baseline = try PgbenchBaseline(jobs: jobs, clients: workers, url: url).run()
                    if !json { print(String(format: "  pgbench   %.0f jobs/s", baseline.jobsPerSecond)) }
                    baselines.append(baseline)
                }
            }
            let medianOurs = ours.sorted { $0.jobsPerSecond < $1.jobsPerSecond }[ours.count / 2]
            let medianBaseline = baselines.isEmpty
                ? nil : baselines.sorted { $0.jobsPerSecond < $1.jobsPerSecond }[baselines.count / 2]
            report = Report(
                queue: medianOurs, pgbench: medianBaseline,
                ratio: medianBaseline.map { medianOurs.jobsPerSecond / $0.jobsPerSecond }, rounds: rounds,
                queueJobsPerSecondByRound: ours.map(\.jobsPerSecond),
                pgbenchJobsPerSecondByRound: baselines.map(\.jobsPerSecond),
                host: ProcessInfo.processInfo.hostName, cores: ProcessInfo.processInfo.activeProcessorCount)
        } catch {
            throw QueueCommandSupport.couldNotRun(error, doing: "run the queue benchmark")
        }
        if json {
            print(try QueueCommandSupport.json(report))
            return
        }
        let ours = report.queue
        print("medians of \(report.rounds) interleaved round(s):")
        print(String(format: "enqueue:   %d jobs in %.2f s (%.0f jobs/s, batches of 5,000 via sealpress.enqueue_many)",
                     ours.jobs, ours.enqueueSeconds, ours.enqueuedPerSecond))
        print(String(format: "sealpress: %d completed in %.2f s = %.0f jobs/s; claim-to-start p50 %.3f ms, p99 %.3f ms",
                     ours.completed, ours.runSeconds, ours.jobsPerSecond, ours.claimToStart.p50Milliseconds,
                     ours.claimToStart.p99Milliseconds))
        if let baseline = report.pgbench, let ratio = report.ratio {
            print(String(format: "pgbench:   %.0f jobs/s (%d clients, batches of 10, %d completed)", baseline.jobsPerSecond,
                         baseline.clients, baseline.completed))
            print(String(format: "ratio:     %.0f %% of pgbench (goal ≥ 70 %%)", ratio * 100))
        }
    }

    /// Creates (or re-creates) `sealpress_bench_queue` beside the configured database; returns its URL.
    private func benchDatabase() throws -> String {
        let base = try database.resolveURL()
        let admin = try database.connect()
        defer { admin.close() }
        let name = "sealpress_bench_queue"
        do {
            try admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            try admin.execute("CREATE DATABASE \(name)")
        } catch {
            throw CouldNotRun("cannot create the benchmark database \(name) (needs CREATEDB): \(error)")
        }
        return Self.url(base, database: name)
    }

    /// `base` (a URI or key=value conninfo) pointing at `database`.
    static func url(_ base: String, database: String) -> String {
        if base.hasPrefix("postgres://") || base.hasPrefix("postgresql://"),
            var components = URLComponents(string: base)
        {
            components.path = "/" + database
            return components.string ?? base
        }
        return (base.isEmpty ? "" : base + " ") + "dbname=\(database)"
    }
}
