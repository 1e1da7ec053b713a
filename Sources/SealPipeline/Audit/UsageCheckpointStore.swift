public import Foundation
public import Postgres

/// A signed usage-log chain head as stored in `sealpress.usage_checkpoints` (migration 103).
public struct StoredCheckpoint: Sendable, Hashable {
    public var id: Int64
    public var rowCount: Int64
    public var lastHash: String
    /// The exact statement bytes that were signed (JSON).
    public var statement: [UInt8]
    /// Detached CMS SignedData (DER) over ``statement``.
    public var signature: [UInt8]
    /// RFC 3161 token over the signature value, when a TSA was configured.
    public var timestampToken: [UInt8]?
    public var createdAt: Date

    public init(
        id: Int64, rowCount: Int64, lastHash: String, statement: [UInt8], signature: [UInt8], timestampToken: [UInt8]?,
        createdAt: Date
    ) {
        self.id = id
        self.rowCount = rowCount
        self.lastHash = lastHash
        self.statement = statement
        self.signature = signature
        self.timestampToken = timestampToken
        self.createdAt = createdAt
    }
}

/// The checkpoints' SQL: the chain head to sign, and the append-only list of signed heads.
public struct UsageCheckpointStore: Sendable {
    public init() {}

    /// The usage log's head: how many rows and the last row's hash (the genesis hash for an empty log).
    public func head(on connection: PGConnection) throws -> (rowCount: Int64, lastHash: String) {
        let row = try connection.query(
            """
            SELECT (SELECT count(*) FROM sealpress.usage_log) AS row_count,
                   (SELECT row_hash FROM sealpress.usage_log ORDER BY sequence DESC LIMIT 1) AS last_hash
            """
        ).first
        let count = Int64(try row?.int("row_count") ?? 0)
        let hash = try row?.optionalString("last_hash") ?? UsageRecord.genesisHash
        return (count, hash)
    }

    /// The newest checkpoint, if any.
    public func latest(on connection: PGConnection) throws -> StoredCheckpoint? {
        try connection.query(Self.select + " ORDER BY id DESC LIMIT 1").first.map(Self.decode)
    }

    /// Stores a signed checkpoint; returns its id.
    @discardableResult
    public func insert(
        rowCount: Int64, lastHash: String, statement: [UInt8], signature: [UInt8], timestampToken: [UInt8]?,
        on connection: PGConnection
    ) throws -> Int64 {
        Int64(
            try connection.query(
                """
                INSERT INTO sealpress.usage_checkpoints (row_count, last_hash, statement, signature, timestamp_token)
                VALUES ($1, $2, $3, $4, $5) RETURNING id
                """,
                [
                    .int64(rowCount), .text(lastHash), .bytea(statement), .bytea(signature),
                    timestampToken.map(PGValue.bytea) ?? .null,
                ]
            ).first!.int("id"))
    }

    /// Every checkpoint, oldest first (`limit` newest when given).
    public func all(limit: Int? = nil, on connection: PGConnection) throws -> [StoredCheckpoint] {
        if let limit {
            return try connection.query(
                "SELECT * FROM (" + Self.select + " ORDER BY id DESC LIMIT $1) c ORDER BY id", [.int(limit)]
            ).map(Self.decode)
        }
        return try connection.query(Self.select + " ORDER BY id").map(Self.decode)
    }

    private static let select =
        "SELECT id, row_count, last_hash, statement, signature, timestamp_token, created_at FROM sealpress.usage_checkpoints"

    private static func decode(_ row: PGRow) throws -> StoredCheckpoint {
        StoredCheckpoint(
            id: Int64(try row.int("id")), rowCount: Int64(try row.int("row_count")), lastHash: try row.string("last_hash"),
            statement: try row.bytes("statement"), signature: try row.bytes("signature"),
            timestampToken: try row.optionalBytes("timestamp_token"), createdAt: try row.date("created_at"))
    }
}
