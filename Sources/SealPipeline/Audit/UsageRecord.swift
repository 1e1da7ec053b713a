public import Foundation

/// One row of the append-only usage log: one signature made with one seal, hash-chained to the row before.
public struct UsageRecord: Sendable, Hashable, Codable {
    public var sequence: Int64
    public var jobID: Int64?
    public var principal: String
    public var seal: String
    public var esID: String
    public var certificateSerial: String
    public var format: String
    /// SHA-256 (hex) of the document before and after signing.
    public var documentBefore: String
    public var documentAfter: String
    public var signedAt: Date
    /// SHA-256 (hex) of the RFC 3161 token, when the signature was timestamped.
    public var timestampTokenHash: String?
    public var host: String
    /// `rowHash` of the previous row (64 zeros for the first).
    public var previousHash: String
    /// SHA-256 over `previousHash` and this row's canonical encoding.
    public var rowHash: String

    public init(
        sequence: Int64, jobID: Int64?, principal: String, seal: String, esID: String, certificateSerial: String,
        format: String, documentBefore: String, documentAfter: String, signedAt: Date, timestampTokenHash: String?,
        host: String, previousHash: String, rowHash: String = ""
    ) {
        self.sequence = sequence
        self.jobID = jobID
        self.principal = principal
        self.seal = seal
        self.esID = esID
        self.certificateSerial = certificateSerial
        self.format = format
        self.documentBefore = documentBefore
        self.documentAfter = documentAfter
        self.signedAt = signedAt
        self.timestampTokenHash = timestampTokenHash
        self.host = host
        self.previousHash = previousHash
        self.rowHash = rowHash
    }

    public static let genesisHash = String(repeating: "0", count: 64)

    /// The bytes the chain hash covers: every field but `rowHash`, length-prefixed so no two rows encode alike.
    /// Times are whole microseconds since 1970 (what PostgreSQL keeps).
    public var canonicalEncoding: [UInt8] {
        var out: [UInt8] = Array("sealpress-usage-v1".utf8)
        func field(_ text: String?) {
            guard let text else {
                out.append(0)
                return
            }
            out.append(1)
            let bytes = Array(text.utf8)
            var length = UInt32(bytes.count).bigEndian
            withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
            out.append(contentsOf: bytes)
        }
        field(String(sequence))
        field(jobID.map { String($0) })
        field(principal)
        field(seal)
        field(esID)
        field(certificateSerial)
        field(format)
        field(documentBefore)
        field(documentAfter)
        field(String(Int64((signedAt.timeIntervalSince1970 * 1_000_000).rounded())))
        field(timestampTokenHash)
        field(host)
        field(previousHash)
        return out
    }
}
