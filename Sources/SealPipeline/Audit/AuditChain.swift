/// Verifies the usage log's hash chain. The hash function is passed in (SHA-256 from SealCrypto in production)
/// so the chain logic stays a pure, testable value computation.
public struct AuditChain: Sendable {
    public typealias HashFunction = @Sendable ([UInt8]) -> [UInt8]

    /// The outcome: how many rows were checked and the first row that breaks the chain, if any.
    public struct Outcome: Sendable, Hashable {
        public var checkedRows: Int
        public var firstBadSequence: Int64?
        public var reason: String?
        public var isIntact: Bool { firstBadSequence == nil }
    }

    private let hash: HashFunction

    public init(hash: @escaping HashFunction) { self.hash = hash }

    /// The hash a row must carry given its content and `previousHash`.
    public func rowHash(for record: UsageRecord) -> String {
        hash(Array(record.previousHash.utf8) + record.canonicalEncoding).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
    }

    /// Seals a new row onto the chain after `previous` (nil for the first row).
    public func append(_ record: UsageRecord, after previous: UsageRecord?) -> UsageRecord {
        var row = record
        row.previousHash = previous?.rowHash ?? UsageRecord.genesisHash
        row.sequence = (previous?.sequence ?? 0) + 1
        row.rowHash = rowHash(for: row)
        return row
    }

    /// Walks rows in sequence order and names the first one whose link or content does not match.
    /// `predecessor` is an already-verified row the first of `rows` must follow (nil: `rows` starts the chain).
    public func verify(_ rows: some Sequence<UsageRecord>, after predecessor: UsageRecord? = nil) -> Outcome {
        var previous: UsageRecord? = predecessor
        var count = 0
        for row in rows {
            count += 1
            let expectedPrevious = previous?.rowHash ?? UsageRecord.genesisHash
            let expectedSequence = (previous?.sequence ?? 0) + 1
            if row.sequence != expectedSequence {
                return Outcome(
                    checkedRows: count, firstBadSequence: row.sequence,
                    reason: "row \(row.sequence) follows row \(previous?.sequence ?? 0): a row is missing or was inserted")
            }
            if row.previousHash != expectedPrevious {
                return Outcome(
                    checkedRows: count, firstBadSequence: row.sequence,
                    reason: "row \(row.sequence) does not link to the row before it")
            }
            if row.rowHash != rowHash(for: row) {
                return Outcome(
                    checkedRows: count, firstBadSequence: row.sequence,
                    reason: "row \(row.sequence) was changed after it was written")
            }
            previous = row
        }
        return Outcome(checkedRows: count, firstBadSequence: nil, reason: nil)
    }
}
