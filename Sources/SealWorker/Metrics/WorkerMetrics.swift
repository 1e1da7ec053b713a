public import Logging
public import Postgres
public import SealObservability
import SealQueue

/// The worker's Prometheus metrics: what `sealpress worker --metrics-port` serves.
///
/// Every label value is a bounded set — job kind, queue, job state, failure reason code, seal name, document
/// format — never a document name, a principal or free text.
public struct WorkerMetrics: Sendable {
    /// Jobs by state and queue, read from the database on each scrape.
    public static let jobs = "sealpress_jobs"
    public static let completed = "sealpress_jobs_completed_total"
    public static let failed = "sealpress_jobs_failed_total"
    public static let rejected = "sealpress_results_rejected_total"
    public static let claimToStart = "sealpress_job_claim_to_start_seconds"
    public static let runTime = "sealpress_job_run_seconds"
    /// Stamps applied, by seal and format (incremented by the stamp handler).
    public static let stamps = "sealpress_stamps_total"
    public static let scrapeErrors = "sealpress_metrics_database_errors_total"
    /// Running jobs per limited key (seal), its concurrency limit (0: none) and its queued jobs.
    public static let limitRunning = "sealpress_limit_running_jobs"
    public static let limitMax = "sealpress_limit_max_concurrent"
    public static let limitQueued = "sealpress_limit_queued_jobs"
    /// Principals with queued (available, scheduled, retryable) or running jobs — how many producers share the
    /// workers. Principals themselves are not labels (unbounded); `sealpress status` lists them.
    public static let principals = "sealpress_principals"

    /// Every job state, so a state with no jobs renders as 0 rather than vanishing.
    static let states = ["available", "scheduled", "running", "retryable", "completed", "cancelled", "discarded"]

    public let registry: MetricsRegistry

    public init(registry: MetricsRegistry = .shared) {
        self.registry = registry
        registry.declareGauge(Self.jobs, help: "Jobs in the queue table by state and queue.", labels: ["state", "queue"])
        registry.declareCounter(Self.completed, help: "Jobs whose handler succeeded in this process, by kind.",
                                labels: ["kind"])
        registry.declareCounter(Self.failed, help: "Jobs whose handler failed in this process, by kind and reason code.",
                                labels: ["kind", "reason"])
        registry.declareCounter(Self.rejected, help: "Results the fence rejected (job cancelled or rescued meanwhile).")
        registry.declareHistogram(Self.claimToStart, help: "Seconds from claiming a job to its handler starting.",
                                  labels: ["kind"])
        registry.declareHistogram(Self.runTime, help: "Seconds a job's handler ran.", labels: ["kind"])
        registry.declareCounter(Self.stamps, help: "Stamps applied by this process, by seal and format.",
                                labels: ["seal", "format"])
        registry.declareCounter(Self.scrapeErrors, help: "Scrapes whose job-state query failed.")
        registry.declareGauge(Self.limitRunning, help: "Running jobs of each limited key (seal).", labels: ["key"])
        registry.declareGauge(Self.limitMax, help: "Concurrency limit of each limited key (0: rate only).",
                              labels: ["key"])
        registry.declareGauge(Self.limitQueued, help: "Queued jobs of each limited key (seal).", labels: ["key"])
        registry.declareGauge(Self.principals, help: "Principals with queued or running jobs.", labels: ["state"])
    }

    /// Worker callbacks that feed the counters and histograms.
    public func events() -> WorkerEvents {
        let registry = self.registry
        return WorkerEvents(
            jobStarted: { job, latency in
                registry.observe(Self.claimToStart, Double(latency) / 1e9, labels: [job.kind])
            },
            resultsRecorded: { _, _, rejected in
                if rejected > 0 { registry.increment(Self.rejected, by: Double(rejected)) }
            },
            jobFinished: { job, runTime, error in
                registry.observe(Self.runTime, Double(runTime) / 1e9, labels: [job.kind])
                if let error {
                    registry.increment(Self.failed, labels: [job.kind, Self.reason(error)])
                } else {
                    registry.increment(Self.completed, labels: [job.kind])
                }
            })
    }

    /// The `reason` label of a failure: its ``JobErrorCode`` (a closed set, so the label stays bounded).
    public static func reason(_ error: any Error) -> String {
        Worker.failure(from: error).code.rawValue
    }

    /// Refreshes the jobs-by-state gauge with one `GROUP BY` on a short-lived connection of its own (never the
    /// worker's), so a slow scrape cannot hold up claiming. A failure counts in ``scrapeErrors`` and keeps the
    /// previous values.
    public func refreshJobStates(connect: () throws -> PGConnection, logger: Logger) {
        do {
            let connection = try connect()
            defer { connection.close() }
            _ = try connection.query("SET statement_timeout = '5s'")
            let rows = try connection.query(
                "SELECT state::text, queue, count(*)::int8 FROM sealpress.jobs GROUP BY 1, 2")
            var values: [[String]: Double] = [:]
            var queues: Set<String> = []
            for row in rows {
                let queue = try row.string(1)
                queues.insert(queue)
                values[[try row.string(0), queue]] = Double(try row.int(2))
            }
            for queue in queues { for state in Self.states where values[[state, queue]] == nil { values[[state, queue]] = 0 } }
            registry.replaceGauge(Self.jobs, with: values)
            var running: [[String]: Double] = [:]
            var maximum: [[String]: Double] = [:]
            var queued: [[String]: Double] = [:]
            for limit in try QueueStatus.limits(connection) {
                running[[limit.key]] = Double(limit.running)
                maximum[[limit.key]] = Double(limit.maxConcurrent ?? 0)
                queued[[limit.key]] = Double(limit.queued)
            }
            registry.replaceGauge(Self.limitRunning, with: running)
            registry.replaceGauge(Self.limitMax, with: maximum)
            registry.replaceGauge(Self.limitQueued, with: queued)
            let principals = try connection.query("""
                SELECT count(DISTINCT principal) FILTER (WHERE state IN ('available', 'scheduled', 'retryable'))::int8,
                       count(DISTINCT principal) FILTER (WHERE state = 'running')::int8
                  FROM sealpress.jobs WHERE state IN ('available', 'scheduled', 'retryable', 'running')
                """)[0]
            registry.replaceGauge(Self.principals, with: [
                ["queued"]: Double(try principals.int(0)), ["running"]: Double(try principals.int(1)),
            ])
        } catch {
            registry.increment(Self.scrapeErrors)
            logger.warning("metrics: job-state query failed", metadata: ["error": "\(error)"])
        }
    }
}
