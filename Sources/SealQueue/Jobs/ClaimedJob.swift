import Foundation

/// A job a worker process claimed: the handler's input. `attempt` is also the fencing token the completion
/// must present.
public struct ClaimedJob: Sendable, Hashable {
    public var id: Int64
    public var kind: String
    public var queue: String
    /// The job's arguments as JSON text (an object).
    public var argsJSON: String
    public var priority: Int
    /// 1 for the first run; the fencing token.
    public var attempt: Int
    public var maxAttempts: Int
    public var batchID: Int64?
    public var documentID: Int64?
    /// Seconds since 1970 when the job was created.
    public var createdAt: Double
    /// Monotonic time (`DispatchTime.now().uptimeNanoseconds`) when the claim returned, for claim-to-start latency.
    public var claimedAtUptimeNanoseconds: UInt64
    /// The input document, read by the claim statement itself (nil when the job has none, or when it is larger than
    /// ``JobQueue/inlineDocumentBytes``: then the slot reads it, see ``documentSize``).
    public var document: StoredDocument?
    /// The input document's length in bytes (nil when the job has none).
    public var documentSize: Int?

    public init(id: Int64, kind: String, queue: String, argsJSON: String, priority: Int, attempt: Int,
                maxAttempts: Int, batchID: Int64?, documentID: Int64?, createdAt: Double,
                claimedAtUptimeNanoseconds: UInt64, document: StoredDocument? = nil, documentSize: Int? = nil) {
        self.id = id
        self.kind = kind
        self.queue = queue
        self.argsJSON = argsJSON
        self.priority = priority
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.batchID = batchID
        self.documentID = documentID
        self.createdAt = createdAt
        self.claimedAtUptimeNanoseconds = claimedAtUptimeNanoseconds
        self.document = document
        self.documentSize = documentSize ?? document?.content.count
    }

    /// The arguments decoded as a JSON object (empty when they are not an object).
    public var args: [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(argsJSON.utf8)) as? [String: Any]
        else { return [:] }
        return object
    }
}
