import Foundation
import Postgres

/// A batch's progress for listings: its counters (exact, with unfolded deltas) and its jobs by state.
public struct BatchSummary: Sendable, Hashable {
    public var id: Int64
    public var label: String
    public var total: Int
    public var completed: Int
    public var discarded: Int
    public var cancelled: Int
    public var createdAt: Date
    public var finishedAt: Date?
    /// Jobs of the batch still in the table, by state (pruned jobs are only in the counters).
    public var counts: [JobState: Int]
}

/// A filter for ``JobQueue/jobs(matching:limit:)``; nil fields match everything.
public struct JobFilter: Sendable, Hashable {
    public var batchLabel: String?
    public var state: JobState?
    public var errorCode: String?
    public var queue: String?

    public init(batchLabel: String? = nil, state: JobState? = nil, errorCode: String? = nil, queue: String? = nil) {
        self.batchLabel = batchLabel
        self.state = state
        self.errorCode = errorCode
        self.queue = queue
    }
}

/// One job as a listing shows it.
public struct JobSummary: Sendable, Hashable {
    public var id: Int64
    public var kind: String
    public var queue: String
    public var state: JobState
    public var attempt: Int
    public var maxAttempts: Int
    public var lastErrorCode: String?
    public var lastError: String?
    public var batchLabel: String?
    public var documentName: String?
    /// When the job runs next: `scheduled_at` of a scheduled or retryable job.
    public var nextRunAt: Date?
    public var createdAt: Date
}

extension JobQueue {
    /// The newest `limit` batches with their progress.
    public func batches(limit: Int = 100) throws -> [BatchSummary] {
        let result = try mapped {
            try connection.query("""
                SELECT b.id, b.label, b.total, b.completed, b.discarded, b.cancelled, b.created_at, b.finished_at,
                       coalesce((SELECT jsonb_object_agg(s.state, s.n)::text FROM (
                            SELECT state::text AS state, count(*) AS n FROM sealpress.jobs j WHERE j.batch_id = b.id
                             GROUP BY 1) s), '{}') AS counts
                  FROM sealpress.batch_progress b ORDER BY b.id DESC LIMIT $1
                """, [.int(limit)])
        }
        return try result.map { row in
            let json = try row.string("counts")
            let decoded = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Int] ?? [:]
            var counts: [JobState: Int] = [:]
            for (key, value) in decoded { if let state = JobState(rawValue: key) { counts[state] = value } }
            return BatchSummary(
                id: Int64(try row.int("id")), label: try row.string("label"), total: try row.int("total"),
                completed: try row.int("completed"), discarded: try row.int("discarded"),
                cancelled: try row.int("cancelled"), createdAt: try row.date("created_at"),
                finishedAt: try row.optionalDate("finished_at"), counts: counts)
        }
    }

    /// Jobs matching `filter`, newest first.
    public func jobs(matching filter: JobFilter, limit: Int = 200) throws -> [JobSummary] {
        let result = try mapped {
            try connection.query("""
                SELECT j.id, j.kind, j.queue, j.state::text AS state, j.attempt::int AS attempt,
                       j.max_attempts::int AS max_attempts, j.last_error_code, j.errors -> -1 ->> 'error' AS last_error,
                       b.label AS batch_label, d.name AS document_name,
                       CASE WHEN j.state IN ('scheduled', 'retryable') THEN j.scheduled_at END AS next_run_at,
                       j.created_at
                  FROM sealpress.jobs j
                  LEFT JOIN sealpress.batches b ON b.id = j.batch_id
                  LEFT JOIN sealpress.documents d ON d.id = j.document_id
                 WHERE ($1::text IS NULL OR b.label = $1)
                   AND ($2::text IS NULL OR j.state::text = $2)
                   AND ($3::text IS NULL OR j.last_error_code = $3)
                   AND ($4::text IS NULL OR j.queue = $4)
                 ORDER BY j.id DESC LIMIT $5
                """, [
                    .optionalText(filter.batchLabel), .optionalText(filter.state?.rawValue),
                    .optionalText(filter.errorCode), .optionalText(filter.queue), .int(limit),
                ])
        }
        return try result.map { row in
            JobSummary(
                id: Int64(try row.int("id")), kind: try row.string("kind"), queue: try row.string("queue"),
                state: JobState(rawValue: try row.string("state")) ?? .available, attempt: try row.int("attempt"),
                maxAttempts: try row.int("max_attempts"), lastErrorCode: try row.optionalString("last_error_code"),
                lastError: try row.optionalString("last_error"), batchLabel: try row.optionalString("batch_label"),
                documentName: try row.optionalString("document_name"), nextRunAt: try row.optionalDate("next_run_at"),
                createdAt: try row.date("created_at"))
        }
    }

    /// The queue names that hold jobs, and the distinct failure codes, for filter menus.
    public func filterValues() throws -> (queues: [String], codes: [String]) {
        let queues = try mapped { try connection.query("SELECT DISTINCT queue FROM sealpress.jobs ORDER BY 1") }
        let codes = try mapped {
            try connection.query(
                "SELECT DISTINCT last_error_code FROM sealpress.jobs WHERE last_error_code IS NOT NULL ORDER BY 1")
        }
        return (try queues.map { try $0.string(0) }, try codes.map { try $0.string(0) })
    }
}
