import Foundation
import Postgres

/// One job of a batch with what it produced, for `sealpress export`.
public struct BatchJobResult: Sendable, Hashable {
    public var id: Int64
    public var kind: String
    public var state: JobState
    /// The input document's name, or `job-<id>`.
    public var documentName: String
    /// The output bytes (a signed document), when the job completed with one of at most
    /// ``JobQueue/inlineDocumentBytes``; a larger one is nil here: read it with ``JobQueue/readOutput(jobID:_:)``.
    public var output: [UInt8]?
    /// The output's length in bytes (nil when the job has none).
    public var outputSize: Int?
    /// The whole output's SHA-256 as recorded with it (`outputs.sha256`): a reader that hashes what it read checks
    /// the stored output against it (`sealpress export` does).
    public var outputSHA256: [UInt8]?
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
                SELECT j.id, j.kind, j.state::text AS state, coalesce(d.name, 'job-' || j.id) AS document_name, s.size,
                       CASE WHEN s.size > \(Self.inlineDocumentBytes) THEN NULL
                            WHEN o.extends_input THEN d.content || o.bytes ELSE o.bytes END AS bytes,
                       o.sha256 AS output_sha256, o.report::text AS report, j.errors -> -1 ->> 'error' AS last_error, j.last_error_code
                  FROM sealpress.jobs j
                  LEFT JOIN sealpress.documents d ON d.id = j.document_id
                  LEFT JOIN sealpress.outputs o ON o.job_id = j.id
                  LEFT JOIN LATERAL (
                      SELECT CASE WHEN o.extends_input THEN d.size_bytes ELSE 0 END + octet_length(o.bytes) AS size) s ON true
                 WHERE j.batch_id = $1 AND j.id > $2 ORDER BY j.id LIMIT $3
                """, [.int64(batchID), .int64(afterID), .int(limit)])
        }
        return try result.map { row in
            BatchJobResult(
                id: Int64(try row.int("id")), kind: try row.string("kind"),
                state: JobState(rawValue: try row.string("state")) ?? .available,
                documentName: try row.string("document_name"), output: try row.optionalBytes("bytes"),
                outputSize: try row.optionalInt("size"), outputSHA256: try row.optionalBytes("output_sha256"),
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

    /// Hands a job's output to `body` in pieces of ``documentPieceBytes`` (the input's bytes first for an output
    /// stored as an extension of it); returns false when the job has no output. `sealpress export` writes a large
    /// output to its file this way without ever holding it whole.
    @discardableResult
    public func readOutput(jobID: Int64, _ body: ([UInt8]) throws -> Void) throws -> Bool {
        let head = try mapped {
            try connection.query("""
                SELECT j.document_id, CASE WHEN o.extends_input THEN d.size_bytes ELSE 0 END AS input_size,
                       octet_length(o.bytes) AS rest_size
                  FROM sealpress.outputs o JOIN sealpress.jobs j ON j.id = o.job_id
                  LEFT JOIN sealpress.documents d ON d.id = j.document_id
                 WHERE o.job_id = $1 AND o.bytes IS NOT NULL
                """, [.int64(jobID)])
        }
        guard let row = head.first else { return false }
        let inputSize = try row.int("input_size")
        if inputSize > 0, let documentID = try row.optionalInt("document_id") {
            try readPieces(of: "content", in: "sealpress.documents", key: "id", id: Int64(documentID), size: inputSize, body)
        }
        try readPieces(of: "bytes", in: "sealpress.outputs", key: "job_id", id: jobID, size: try row.int("rest_size"), body)
        return true
    }

    /// Reads `size` bytes of a bytea column in pieces (`substring`, which reads only the TOAST chunks it needs from
    /// the queue's uncompressed `STORAGE EXTERNAL` columns); throws when a piece comes back short.
    func readPieces(
        of column: String, in table: String, key: String, id: Int64, size: Int, _ body: ([UInt8]) throws -> Void
    ) throws {
        var offset = 0
        while offset < size {
            let length = min(Self.documentPieceBytes, size - offset)
            let piece = try mapped {
                try connection.query(
                    "SELECT substring(\(column) FROM $2::int FOR $3::int) FROM \(table) WHERE \(key) = $1",
                    [.int64(id), .int64(Int64(offset + 1)), .int64(Int64(length))])
            }
            guard let part = try piece.first?.optionalBytes(0), part.count == length else {
                throw QueueError(.notFound, "\(table) row \(id) changed or went away while it was read")
            }
            try body(part)
            offset += length
        }
    }
}
