public import Foundation

/// What a checkpoint signs: the usage log's head at one moment (exact JSON bytes, ``StatusJSON`` conventions).
public struct CheckpointStatement: Codable, Sendable, Hashable {
    public static let type = "sealpress-usage-checkpoint"

    public var version: Int
    public var type: String
    /// The installation's issuer name (the status signer's).
    public var issuer: String
    /// Rows in the usage log when the checkpoint was taken.
    public var rowCount: Int64
    /// `row_hash` of row `rowCount` (64 zeros for an empty log).
    public var lastHash: String
    public var createdAt: Date

    public init(issuer: String, rowCount: Int64, lastHash: String, createdAt: Date) {
        self.version = 1
        self.type = Self.type
        self.issuer = issuer
        self.rowCount = rowCount
        self.lastHash = lastHash
        self.createdAt = createdAt
    }
}

/// One checkpoint as `GET /audit/v1/checkpoints` publishes it (and `audit checkpoint --out` writes it).
public struct PublishedCheckpoint: Codable, Sendable, Hashable {
    public var id: Int64
    public var rowCount: Int64
    public var lastHash: String
    public var createdAt: Date
    /// Base64 of the exact statement bytes (``CheckpointStatement`` JSON) the signature covers.
    public var statement: String
    /// Base64 of the detached CMS SignedData (DER) over the statement bytes.
    public var signature: String
    /// Base64 of an RFC 3161 token whose imprint is the SHA-256 of the signature's DER bytes, if timestamped.
    public var timestampToken: String?

    public init(
        id: Int64, rowCount: Int64, lastHash: String, createdAt: Date, statement: [UInt8], signature: [UInt8],
        timestampToken: [UInt8]?
    ) {
        self.id = id
        self.rowCount = rowCount
        self.lastHash = lastHash
        self.createdAt = createdAt
        self.statement = Data(statement).base64EncodedString()
        self.signature = Data(signature).base64EncodedString()
        self.timestampToken = timestampToken.map { Data($0).base64EncodedString() }
    }
}

/// The published list: `{"version": 1, "checkpoints": [...]}`, oldest first.
public struct CheckpointList: Codable, Sendable, Hashable {
    public var version: Int
    public var checkpoints: [PublishedCheckpoint]

    public init(checkpoints: [PublishedCheckpoint]) {
        self.version = 1
        self.checkpoints = checkpoints
    }

    public func encoded() throws -> [UInt8] { try StatusJSON.encode(self) }
    public static func decode(_ bytes: [UInt8]) throws -> CheckpointList { try StatusJSON.decode(Self.self, bytes) }
}
