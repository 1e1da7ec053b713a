import Foundation

/// A job to enqueue (the Swift face of `sealpress.enqueue(...)`).
public struct NewJob: Sendable, Hashable {
    public var kind: String
    /// Arguments as JSON text; must be an object.
    public var argsJSON: String
    public var queue: String
    /// Lower runs first.
    public var priority: Int
    /// Run at (seconds since 1970); nil = now.
    public var scheduledAt: Double?
    public var maxAttempts: Int
    /// Unique while the job is live: enqueueing again returns the live job instead of a new one.
    public var idempotencyKey: String?
    /// Batch label; the batch is created on first use.
    public var batchLabel: String?
    /// An input document, stored in `sealpress.documents`.
    public var document: Data?
    public var documentName: String?
    public var contentType: String?
    /// Who the job is for (fair share between principals); nil takes `args.principal`, else `''`.
    public var principal: String?
    /// The shared resource the job uses (a stamp job: its seal's registry name); the key's row in
    /// `sealpress.job_limits` caps how many of its jobs run at once and how fast they start.
    public var limitKey: String?
    /// Unique by content: refuse a second job of this kind for the same document and ``uniqueScope`` (a stamp
    /// job: its pipeline) created within this many seconds; the earlier job is returned as a `duplicate` outcome.
    public var uniqueWithinSeconds: Double?
    /// What, besides the document and kind, makes content unique (a stamp job: its pipeline).
    public var uniqueScope: String?

    public init(kind: String, argsJSON: String = "{}", queue: String = "default", priority: Int = 0,
                scheduledAt: Double? = nil, maxAttempts: Int = 20, idempotencyKey: String? = nil,
                batchLabel: String? = nil, document: Data? = nil, documentName: String? = nil,
                contentType: String? = nil, principal: String? = nil, limitKey: String? = nil,
                uniqueWithinSeconds: Double? = nil, uniqueScope: String? = nil) {
        self.kind = kind
        self.argsJSON = argsJSON
        self.queue = queue
        self.priority = priority
        self.scheduledAt = scheduledAt
        self.maxAttempts = maxAttempts
        self.idempotencyKey = idempotencyKey
        self.batchLabel = batchLabel
        self.document = document
        self.documentName = documentName
        self.contentType = contentType
        self.principal = principal
        self.limitKey = limitKey
        self.uniqueWithinSeconds = uniqueWithinSeconds
        self.uniqueScope = uniqueScope
    }

    /// Checks what the database would otherwise reject with a less helpful message.
    public func validate() throws(QueueError) {
        try Self.validateArguments(argsJSON)
        guard (1...32_767).contains(maxAttempts) else {
            throw QueueError(.invalidArguments, "max attempts must be between 1 and 32767")
        }
        guard (-32_768...32_767).contains(priority) else {
            throw QueueError(.invalidArguments, "priority must be between -32768 and 32767")
        }
        guard !queue.isEmpty, queue.count <= 128 else {
            throw QueueError(.invalidArguments, "queue name must be 1 to 128 characters")
        }
        if let key = idempotencyKey, key.isEmpty || key.utf8.count > 512 {
            throw QueueError(.invalidArguments, "idempotency key must be 1 to 512 bytes")
        }
        if let principal, principal.utf8.count > 256 {
            throw QueueError(.invalidArguments, "principal must be at most 256 bytes")
        }
        if let key = limitKey, key.isEmpty || key.utf8.count > 256 {
            throw QueueError(.invalidArguments, "limit key must be 1 to 256 bytes")
        }
        if let window = uniqueWithinSeconds {
            guard window > 0, window.isFinite else {
                throw QueueError(.invalidArguments, "unique-within must be a positive duration such as 24h")
            }
            guard document != nil else {
                throw QueueError(.invalidArguments, "unique-within needs a document: jobs are unique by content")
            }
        }
    }

    /// Throws unless `json` is a JSON object.
    public static func validateArguments(_ json: String) throws(QueueError) {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        } catch {
            throw QueueError(.invalidArguments, "job arguments are not valid JSON: \(Self.shortReason(error))")
        }
        guard parsed is [String: Any] else {
            throw QueueError(.invalidArguments, "job arguments must be a JSON object, like {\"sleep_ms\": 10}")
        }
    }

    private static func shortReason(_ error: any Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? "malformed JSON"
    }
}
