import Foundation
import Postgres

/// A snapshot for `sealpress status`: counts by state and queue, the oldest waiting job, live workers, recent
/// throughput, and optionally one batch.
public struct QueueStatus: Sendable, Codable, Hashable {
    /// Jobs per queue and state.
    public struct QueueCounts: Sendable, Codable, Hashable {
        public var queue: String
        public var counts: [String: Int]
    }

    /// One row of `sealpress.workers`.
    public struct WorkerInfo: Sendable, Codable, Hashable {
        public var id: String
        public var name: String
        public var host: String
        public var pid: Int
        public var concurrency: Int
        public var queues: [String]?
        public var running: Int
        public var heartbeatAgeSeconds: Double
        public var startedAt: Date
    }

    /// Jobs that failed at least once and are not completed or cancelled, by state and the code of their latest
    /// failure (`sealpress.jobs.last_error_code`).
    public struct FailureCount: Sendable, Codable, Hashable {
        public var state: String
        public var code: String
        public var count: Int

        public init(state: String, code: String, count: Int) {
            self.state = state
            self.code = code
            self.count = count
        }
    }

    /// A batch's counters (kept by trigger, so they survive pruning) and its jobs by state.
    public struct BatchInfo: Sendable, Codable, Hashable {
        public var label: String
        public var total: Int
        public var completed: Int
        public var discarded: Int
        public var cancelled: Int
        public var createdAt: Date
        public var finishedAt: Date?
        public var counts: [String: Int]
        /// The batch's failing jobs (retryable or discarded, …) by state and code, as ``QueueStatus/failures``.
        public var failures: [FailureCount]?
    }

    /// A limited key (a seal): its limits and its jobs now.
    public struct LimitInfo: Sendable, Codable, Hashable {
        public var key: String
        public var maxConcurrent: Int?
        public var ratePerSecond: Double?
        public var burst: Int
        public var running: Int
        /// Available, scheduled or retryable jobs of the key.
        public var queued: Int
    }

    /// One principal's jobs now (fair share is between principals).
    public struct PrincipalInfo: Sendable, Codable, Hashable {
        public var principal: String
        /// Available, scheduled or retryable.
        public var queued: Int
        public var running: Int
    }

    public var schemaVersion: Int
    public var totals: [String: Int]
    public var queues: [QueueCounts]
    /// Age of the oldest job waiting in `available`, in seconds.
    public var oldestAvailableAgeSeconds: Double?
    public var workers: [WorkerInfo]
    /// Failing jobs by state and code.
    public var failures: [FailureCount]
    public var completedLastMinute: Int
    public var completedLast10Seconds: Int
    public var batch: BatchInfo?
    /// Every key with limits (seals), with its running and queued jobs.
    public var limits: [LimitInfo]
    /// Principals with queued or running jobs.
    public var principals: [PrincipalInfo]
    public var takenAt: Date

    /// Reads the status; `batchLabel` adds that batch's progress (throws ``QueueError/Code/notFound`` when unknown).
    public static func read(_ connection: PGConnection, batchLabel: String? = nil) throws -> QueueStatus {
        try Migrator.requireCurrent(connection)
        let version = try Migrator.currentVersion(connection) ?? 0
        var totals: [String: Int] = [:]
        var perQueue: [String: [String: Int]] = [:]
        for row in try connection.query(
            "SELECT queue, state::text, count(*) FROM sealpress.jobs GROUP BY 1, 2 ORDER BY 1, 2")
        {
            let queue = try row.string(0)
            let state = try row.string(1)
            let count = try row.int(2)
            totals[state, default: 0] += count
            perQueue[queue, default: [:]][state] = count
        }
        let oldest = try connection.query("""
            SELECT extract(epoch FROM now() - min(scheduled_at))::float8 FROM sealpress.jobs WHERE state = 'available'
            """)[0].optionalDouble(0)
        let throughput = try connection.query("""
            SELECT count(*) FILTER (WHERE finalized_at > now() - interval '60 seconds'),
                   count(*) FILTER (WHERE finalized_at > now() - interval '10 seconds')
              FROM sealpress.jobs WHERE finalized_at > now() - interval '60 seconds' AND state = 'completed'
            """)[0]
        var workers: [WorkerInfo] = []
        for row in try connection.query("""
            SELECT w.id::text, w.name, w.host, w.pid, w.concurrency, w.queues,
                   (SELECT count(*) FROM sealpress.jobs j WHERE j.state = 'running' AND j.locked_by = w.id),
                   extract(epoch FROM now() - w.heartbeat_at)::float8, w.started_at
              FROM sealpress.workers w ORDER BY w.started_at
            """)
        {
            workers.append(WorkerInfo(
                id: try row.string(0), name: try row.string(1), host: try row.string(2), pid: try row.int(3),
                concurrency: try row.int(4), queues: row.isNull(5) ? nil : try row.stringArray(5),
                running: try row.int(6), heartbeatAgeSeconds: try row.double(7), startedAt: try row.date(8)))
        }
        let failures = try Self.failures(connection, batchID: nil)
        var batch: BatchInfo?
        if let batchLabel {
            let result = try connection.query("""
                SELECT b.id, b.label, b.total, b.completed, b.discarded, b.cancelled, b.created_at, b.finished_at
                  FROM sealpress.batch_progress b WHERE b.label = $1
                """, [.text(batchLabel)])
            guard let row = result.first else {
                throw QueueError(.notFound, "no batch labelled \"\(batchLabel)\"")
            }
            var counts: [String: Int] = [:]
            for countRow in try connection.query(
                "SELECT state::text, count(*) FROM sealpress.jobs WHERE batch_id = $1 GROUP BY 1", [.int64(Int64(try row.int(0)))])
            {
                counts[try countRow.string(0)] = try countRow.int(1)
            }
            batch = BatchInfo(
                label: try row.string(1), total: try row.int(2), completed: try row.int(3), discarded: try row.int(4),
                cancelled: try row.int(5), createdAt: try row.date(6), finishedAt: try row.optionalDate(7),
                counts: counts, failures: try Self.failures(connection, batchID: Int64(try row.int(0))))
        }
        return QueueStatus(
            schemaVersion: version, totals: totals,
            queues: perQueue.keys.sorted().map { QueueCounts(queue: $0, counts: perQueue[$0] ?? [:]) },
            oldestAvailableAgeSeconds: oldest, workers: workers, failures: failures, completedLastMinute: try throughput.int(0),
            completedLast10Seconds: try throughput.int(1), batch: batch, limits: try Self.limits(connection),
            principals: try Self.principals(connection), takenAt: Date())
    }

    /// Every limited key with its running and queued jobs.
    public static func limits(_ connection: PGConnection) throws -> [LimitInfo] {
        try connection.query("""
            SELECT l.key, l.max_concurrent, l.rate_per_second, l.burst,
                   (SELECT count(*) FROM sealpress.jobs j WHERE j.state = 'running' AND j.limit_key = l.key)::int8,
                   (SELECT count(*) FROM sealpress.jobs j
                     WHERE j.state IN ('available', 'scheduled', 'retryable') AND j.limit_key = l.key)::int8
              FROM sealpress.job_limits l ORDER BY l.key
            """).map {
            LimitInfo(key: try $0.string(0), maxConcurrent: try $0.optionalInt(1), ratePerSecond: try $0.optionalDouble(2),
                      burst: try $0.int(3), running: try $0.int(4), queued: try $0.int(5))
        }
    }

    /// Principals with queued or running jobs.
    public static func principals(_ connection: PGConnection) throws -> [PrincipalInfo] {
        try connection.query("""
            SELECT principal, count(*) FILTER (WHERE state IN ('available', 'scheduled', 'retryable'))::int8,
                   count(*) FILTER (WHERE state = 'running')::int8
              FROM sealpress.jobs WHERE state IN ('available', 'scheduled', 'retryable', 'running')
             GROUP BY principal ORDER BY principal
            """).map { PrincipalInfo(principal: try $0.string(0), queued: try $0.int(1), running: try $0.int(2)) }
    }

    private static func failures(_ connection: PGConnection, batchID: Int64?) throws -> [FailureCount] {
        try connection.query("""
            SELECT state::text AS state, last_error_code AS code, count(*)::int8 AS count FROM sealpress.jobs
             WHERE last_error_code IS NOT NULL AND state NOT IN ('completed', 'cancelled')
               AND ($1::bigint IS NULL OR batch_id = $1)
             GROUP BY 1, 2 ORDER BY 1, 2
            """, [batchID.map(PGValue.int64) ?? .null]
        ).map { FailureCount(state: try $0.string("state"), code: try $0.string("code"), count: try $0.int("count")) }
    }
}
