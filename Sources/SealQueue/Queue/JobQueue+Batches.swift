import Foundation
import Postgres

/// One job of a batch with what it produced, for `sealpress export`.
public struct BatchJobResult: Sendable, Hashable {
    public var id: Int64
    public var kind: String
    public var state: JobState
    /// The input document's name, or `job-<id>`.
    public var documentName: String
    /// The output bytes (a signed document), when the job completed with one.
    public var output: [UInt8]?
    /// The report JSON, when there is one.
    public var reportJSON: String?
    /// The reason of the latest failed attempt.
    public var lastError: String?
    /// The code of the latest failed attempt.
    public var lastErrorCode: JobErrorCode?
}

/// A batch's identity and size.
public struct BatchReference: Sendable, Hashable {
    public var id: Int64
    public var label: String
    public var total: Int
}

extension JobQueue {
    /// The batch labelled `label`, or nil.
    public func batch(label: String) throws -> BatchReference? {
        let result = try mapped {
            try connection.query("SELECT id, label, total FROM sealpress.batch_progress WHERE label = $1", [.text(label)])
        }
        guard let row = result.first else { return nil }
        return BatchReference(id: Int64(try row.int("id")), label: try row.string("label"), total: try row.int("total"))
    }

    /// Up to `limit` jobs of a batch with ids above `afterID`, in id order, with their outputs (page through a
    /// batch without holding all outputs in memory).
    public func batchResults(batchID: Int64, afterID: Int64, limit: Int = 50) throws -> [BatchJobResult] {
        let result = try mapped {
            try connection.query("""
                SELECT j.id, j.kind, j.state::text AS state, coalesce(d.name, 'job-' || j.id) AS document_name,
                       CASE WHEN o.extends_input THEN d.content || o.bytes ELSE o.bytes END AS bytes,
                       o.report::text AS report, j.errors -> -1 ->> 'error' AS last_error, j.last_error_code
                  FROM sealpress.jobs j
                  LEFT JOIN sealpress.documents d ON d.id = j.document_id
                  LEFT JOIN sealpress.outputs o ON o.job_id = j.id
                 WHERE j.batch_id = $1 AND j.id > $2 ORDER BY j.id LIMIT $3
                """, [.int64(batchID), .int64(afterID), .int(limit)])
        }
        return try result.map { row in
            BatchJobResult(
                id: Int64(try row.int("id")), kind: try row.string("kind"),
                state: JobState(rawValue: try row.string("state")) ?? .available,
                documentName: try row.string("document_name"), output: try row.optionalBytes("bytes"),
                reportJSON: try row.optionalString("report"), lastError: try row.optionalString("last_error"),
                lastErrorCode: try row.optionalString("last_error_code").flatMap(JobErrorCode.init(rawValue:)))
        }
    }

    /// Idempotency keys of the jobs of kind `kind` in batch `label` that are live or completed (not discarded or
    /// cancelled): a producer that enqueues the same documents again skips these.
    public func usedIdempotencyKeys(batchLabel label: String, kind: String) throws -> Set<String> {
        let result = try mapped {
            try connection.query("""
                SELECT j.idempotency_key FROM sealpress.jobs j JOIN sealpress.batches b ON b.id = j.batch_id
                 WHERE b.label = $1 AND j.kind = $2 AND j.idempotency_key IS NOT NULL
                   AND j.state NOT IN ('discarded', 'cancelled')
                """, [.text(label), .text(kind)])
        }
        return Set(try result.map { try $0.string("idempotency_key") })
    }
}
