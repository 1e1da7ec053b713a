public import Foundation
public import Postgres
public import SealQueue

/// Reads and appends the usage log. PostgreSQL assigns the sequence and the chain hashes (see ``PipelineSchema``).
public struct UsageLog: Sendable {
    public init() {}

    /// The INSERT a stamp job runs inside its completion transaction. Parameters, in order: job id, principal, seal,
    /// esID, certificate serial, format, document SHA-256 before and after (hex), signing time, TSA token hash, host.
    public static let insertSQL = insertPrefix + " " + insertRow

    /// ``insertSQL`` as a fenced statement of a completion: one-row, so that the usage rows of one fetch cycle go to
    /// the server as ONE multi-row INSERT (``FencedStatement/merged(_:)``); the chain trigger still runs per row, in
    /// the completions' order.
    public static func insertStatement(_ record: UsageRecord) -> FencedStatement {
        FencedStatement(insert: insertPrefix, row: insertRow, parameters: insertParameters(record))
    }

    static let insertPrefix = """
        INSERT INTO sealpress.usage_log (sequence, job_id, principal, seal, es_id, certificate_serial, format,
            document_before, document_after, signed_at, timestamp_token_hash, host, previous_hash, row_hash)
        VALUES
        """
    static let insertRow = "(0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '', '')"

    /// Parameters for ``insertSQL``.
    public static func insertParameters(_ record: UsageRecord) -> [PGValue] {
        [
            record.jobID.map(PGValue.int64) ?? .null, .text(record.principal), .text(record.seal), .text(record.esID),
            .text(record.certificateSerial), .text(record.format), .text(record.documentBefore),
            .text(record.documentAfter), .timestamptz(record.signedAt),
            record.timestampTokenHash.map(PGValue.text) ?? .null, .text(record.host),
        ]
    }

    /// Appends one row outside a job (e.g. tests, manual stamps recorded by an operator).
    public func append(_ record: UsageRecord, on connection: PGConnection) throws {
        try connection.query(Self.insertSQL, Self.insertParameters(record))
    }

    /// Rows in sequence order, `limit` at a time from `after` (for streaming verification of long logs).
    public func rows(after sequence: Int64 = 0, limit: Int = 10_000, on connection: PGConnection) throws -> [UsageRecord] {
        try connection.query(
            """
            SELECT sequence, job_id, principal, seal, es_id, certificate_serial, format, document_before,
                   document_after, signed_at, timestamp_token_hash, host, previous_hash, row_hash
            FROM sealpress.usage_log WHERE sequence > $1 ORDER BY sequence LIMIT $2
            """, [.int64(sequence), .int64(Int64(limit))]
        ).map(Self.record)
    }

    /// The newest `limit` rows (of one seal when `seal` is given), in sequence order (`sealpress audit log`).
    public func recent(seal: String? = nil, limit: Int, on connection: PGConnection) throws -> [UsageRecord] {
        try connection.query(
            """
            SELECT * FROM (
                SELECT sequence, job_id, principal, seal, es_id, certificate_serial, format, document_before,
                       document_after, signed_at, timestamp_token_hash, host, previous_hash, row_hash
                FROM sealpress.usage_log WHERE $1::text IS NULL OR seal = $1
                ORDER BY sequence DESC LIMIT $2) r ORDER BY sequence
            """, [seal.map(PGValue.text) ?? .null, .int(limit)]
        ).map(Self.record)
    }

    static func record(_ row: PGRow) throws -> UsageRecord {
        UsageRecord(
            sequence: Int64(try row.int("sequence")), jobID: try row.optionalInt("job_id").map(Int64.init),
            principal: try row.string("principal"), seal: try row.string("seal"), esID: try row.string("es_id"),
            certificateSerial: try row.string("certificate_serial"), format: try row.string("format"),
            documentBefore: try row.string("document_before"), documentAfter: try row.string("document_after"),
            signedAt: try row.date("signed_at"), timestampTokenHash: try row.optionalString("timestamp_token_hash"),
            host: try row.string("host"), previousHash: try row.string("previous_hash"),
            rowHash: try row.string("row_hash"))
    }

    /// Verifies the whole chain page by page; the outcome names the first bad row.
    public func verify(with chain: AuditChain, on connection: PGConnection, pageSize: Int = 10_000) throws -> AuditChain.Outcome {
        var checked = 0
        var last: UsageRecord?
        while true {
            let page = try rows(after: last?.sequence ?? 0, limit: pageSize, on: connection)
            if page.isEmpty { break }
            // Each page must follow the last verified row of the page before, so links across pages are checked.
            var outcome = chain.verify(page, after: last)
            checked += outcome.checkedRows
            if !outcome.isIntact {
                outcome.checkedRows = checked
                return outcome
            }
            last = page.last
            if page.count < pageSize { break }
        }
        return AuditChain.Outcome(checkedRows: checked, firstBadSequence: nil, reason: nil)
    }
}
