import Foundation
import Postgres

/// The queue's operations over one connection: enqueue, claim, complete, fail, release, cancel, and the leader's
/// promote / rescue / prune. Each operation is ONE statement (one round trip, its own implicit transaction unless
/// the caller opened one).
///
/// Not thread-safe, like the ``PGConnection`` it wraps: one thread at a time.
public struct JobQueue: Sendable {
    /// The connection every operation runs on.
    public let connection: PGConnection

    public init(connection: PGConnection) {
        self.connection = connection
    }

    // MARK: - Producers

    /// Enqueues one job (`sealpress.enqueue`). A live job with the same idempotency key is returned instead.
    ///
    /// - Throws: ``QueueError/Code/invalidArguments``, ``QueueError/Code/unknownKind``,
    ///   ``QueueError/Code/schemaMissing``, or a ``PGError``.
    @discardableResult
    public func enqueue(_ job: NewJob) throws -> EnqueuedJob {
        try job.validate()
        let result = try mapped { try connection.query(QueueSQL.enqueue, Self.enqueueParameters(job)) }
        return try Self.enqueued(result[0])
    }

    /// Enqueues one job whose document is sent in pieces (`documentPieces` hands each piece to its argument, e.g. a
    /// large file read 8 MiB at a time): the pieces go to a temporary table of this session and `sealpress.enqueue`
    /// takes their concatenation, in one transaction, so neither this process nor libpq ever holds the whole
    /// document. `job.document` is ignored.
    @discardableResult
    public func enqueue(_ job: NewJob, documentPieces: ((([UInt8]) throws -> Void) throws -> Void)) throws -> EnqueuedJob {
        try job.validate()
        return try mapped {
            try connection.transaction { connection in
                try connection.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS sealpress_upload (n int PRIMARY KEY, piece bytea NOT NULL) ON COMMIT DELETE ROWS")
                var count = 0
                try documentPieces { piece in
                    count += 1
                    _ = try connection.query(
                        "INSERT INTO pg_temp.sealpress_upload (n, piece) VALUES ($1, $2)", [.int64(Int64(count)), .bytea(piece)])
                }
                var parameters = Self.enqueueParameters(job)
                parameters[8] = .bytea([])  // $9 is replaced by the pieces (typed, so the server accepts it unused)
                let result = try connection.query(Self.enqueueFromPieces, parameters)
                return try Self.enqueued(result[0])
            }
        }
    }

    static let enqueueFromPieces = QueueSQL.enqueue.replacingOccurrences(
        of: "document => $9::bytea",
        with: "document => (SELECT string_agg(piece, ''::bytea ORDER BY n) FROM pg_temp.sealpress_upload)")

    /// Enqueues several jobs, each as ``enqueue(_:)`` does, in ONE round trip (a pipeline of prepared
    /// `sealpress.enqueue` calls): all of them or none (one transaction, or the caller's). Results in input order.
    ///
    /// For producers sending documents in chunks (a directory, a batch of declarations): each job keeps its own
    /// document, idempotency key and batch label.
    @discardableResult
    public func enqueue(_ jobs: [NewJob]) throws -> [EnqueuedJob] {
        guard !jobs.isEmpty else { return [] }
        for job in jobs { try job.validate() }
        let results = try mapped {
            try connection.pipeline(jobs.map { job in
                PGStatement(QueueSQL.enqueue, Self.enqueueParameters(job), prepared: true)
            })
        }
        return try results.map { try Self.enqueued($0[0]) }
    }

    static func enqueued(_ row: PGRow) throws -> EnqueuedJob {
        EnqueuedJob(
            id: Int64(try row.int(0)), created: try row.bool(1),
            outcome: EnqueuedJob.Outcome(rawValue: try row.string(2)))
    }

    static func enqueueParameters(_ job: NewJob) -> [PGValue] {
        [
            .text(job.kind), .jsonb(job.argsJSON), .text(job.queue), .int(job.priority),
            job.scheduledAt.map(PGValue.double) ?? .null, .int(job.maxAttempts),
            .optionalText(job.idempotencyKey), .optionalText(job.batchLabel),
            job.document.map(PGValue.bytea) ?? .null, .optionalText(job.documentName),
            .optionalText(job.contentType), .optionalText(job.principal), .optionalText(job.limitKey),
            .optionalText(job.uniqueScope), job.uniqueWithinSeconds.map(PGValue.double) ?? .null,
        ]
    }

    /// Enqueues many jobs of one kind in one statement (`sealpress.enqueue_many`); results in input order.
    ///
    /// - Parameter argsJSON: one JSON object per job.
    /// - Parameter idempotencyKeys: nil, or one key per job (use distinct keys).
    @discardableResult
    public func enqueueMany(
        kind: String, argsJSON: [String], queue: String = "default", priority: Int = 0, scheduledAt: Double? = nil,
        maxAttempts: Int = 20, idempotencyKeys: [String]? = nil, batchLabel: String? = nil, principal: String? = nil,
        limitKey: String? = nil
    ) throws -> [EnqueuedJob] {
        guard !argsJSON.isEmpty else { return [] }
        for args in argsJSON { try NewJob.validateArguments(args) }
        try NewJob(kind: kind, queue: queue, priority: priority, maxAttempts: maxAttempts, principal: principal,
                   limitKey: limitKey).validate()
        if let keys = idempotencyKeys, keys.count != argsJSON.count {
            throw QueueError(.invalidArguments, "give one idempotency key per job (\(argsJSON.count)), not \(keys.count)")
        }
        let array = "[" + argsJSON.joined(separator: ",") + "]"
        let result = try mapped {
            try connection.query(QueueSQL.enqueueMany, [
                .text(kind), .jsonb(array), .text(queue), .int(priority), scheduledAt.map(PGValue.double) ?? .null,
                .int(maxAttempts), idempotencyKeys.map(PGValue.textArray) ?? .null, .optionalText(batchLabel),
                .optionalText(principal), .optionalText(limitKey),
            ])
        }
        return try result.map { EnqueuedJob(id: Int64(try $0.int(1)), created: try $0.bool(2)) }
    }

    /// Cancels a job: queued jobs at once, a running one too (its worker is notified and its completion will be
    /// rejected). Returns the state the job was in, or nil when there is no such job.
    @discardableResult
    public func cancel(jobID: Int64) throws -> JobState? {
        let result = try mapped { try connection.query(QueueSQL.cancel, [.int64(jobID)]) }
        return try result[0].optionalString(0).flatMap(JobState.init(rawValue:))
    }

    // MARK: - Workers

    /// Claims up to `limit` available jobs for `worker` in one statement (CTE with `FOR UPDATE SKIP LOCKED`).
    ///
    /// - Parameter queues: the queues to take from; nil or empty takes from every queue.
    public func claim(limit: Int, worker: UUID, queues: [String]?) throws -> [ClaimedJob] {
        guard limit > 0 else { return [] }
        let (sql, queueParameter) = Self.claimStatement(queues)
        var parameters: [PGValue] = [.int(limit), .uuid(worker)]
        if let queueParameter { parameters.append(queueParameter) }
        let result = try connection.preparedQuery(sql, parameters)
        let now = DispatchTime.now().uptimeNanoseconds
        return try result.map { try ClaimedJob(row: $0, claimedAt: now) }
    }

    static let claimAny = QueueSQL.claim(filter: .any)
    static let claimOne = QueueSQL.claim(filter: .one(parameter: 3))
    static let claimSeveral = QueueSQL.claim(filter: .several(parameter: 3))
    static let completeAndClaimAny = QueueSQL.completeAndClaim(filter: .any)
    static let completeAndClaimOne = QueueSQL.completeAndClaim(filter: .one(parameter: 11))
    static let completeAndClaimSeveral = QueueSQL.completeAndClaim(filter: .several(parameter: 11))

    static func claimStatement(_ queues: [String]?) -> (String, PGValue?) {
        switch queues {
        case .some(let names) where names.count == 1: (claimOne, .text(names[0]))
        case .some(let names) where names.count > 1: (claimSeveral, .textArray(names))
        default: (claimAny, nil)
        }
    }

    static func completionParameters(_ completions: [JobCompletion], worker: UUID) -> [PGValue] {
        var blob: [UInt8] = []
        var offsets: [Int64] = []
        var lengths: [Int64] = []
        var prefixes: [Int64] = []
        var reports: [String] = []
        offsets.reserveCapacity(completions.count)
        lengths.reserveCapacity(completions.count)
        prefixes.reserveCapacity(completions.count)
        for completion in completions {
            offsets.append(Int64(blob.count))
            if let output = completion.output, completion.outputFollowsInput {
                lengths.append(Int64(output.count))
                blob.append(contentsOf: output)
                prefixes.append(Int64(max(completion.inputPrefixLength, 0)))
            } else if let output = completion.output {
                // An output that extends its input is sent (and stored) as the bytes after the input only.
                let prefix = min(max(completion.inputPrefixLength, 0), output.count)
                lengths.append(Int64(output.count - prefix))
                blob.append(contentsOf: output.dropFirst(prefix))
                prefixes.append(Int64(prefix))
            } else {
                lengths.append(-1)
                prefixes.append(0)
            }
            reports.append(completion.reportJSON ?? "null")
        }
        return [
            .int64Array(completions.map(\.jobID)), .int64Array(completions.map { Int64($0.attempt) }),
            .bytea(blob), .jsonb("[" + reports.joined(separator: ",") + "]"), .int64Array(offsets),
            .int64Array(lengths), .uuid(worker), .int64Array(prefixes),
            .textArray(completions.map { completion in completion.outputSHA256.map(Self.hex) ?? "" }),
        ]
    }

    /// Lowercase hex, as `decode(…, 'hex')` reads it.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func failParameters(_ failures: [JobFailureRecord], worker: UUID) -> [PGValue] {
        let errors = failures.map { failure -> String in
            let object: [String: Any] = ["error": failure.reason, "code": failure.code.rawValue]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self)
        }
        return [
            .int64Array(failures.map(\.jobID)), .int64Array(failures.map { Int64($0.attempt) }),
            .int64Array(failures.map { Int64(max(0, $0.retryDelaySeconds * 1000).rounded()) }),
            .jsonb("[" + errors.joined(separator: ",") + "]"),
            .int64Array(failures.map { $0.discard ? 1 : 0 }), .uuid(worker),
        ]
    }

    static func failedStates(_ result: PGResult) throws -> [Int64: JobState] {
        var states: [Int64: JobState] = [:]
        for row in result { states[Int64(try row.int(0))] = JobState(rawValue: try row.string(1)) }
        return states
    }

    /// Gives running jobs back as available (worker shutdown past its grace period). Returns the released ids.
    public func release(_ jobs: [(id: Int64, attempt: Int)], worker: UUID) throws -> Set<Int64> {
        guard !jobs.isEmpty else { return [] }
        let result = try connection.query(QueueSQL.release, [
            .int64Array(jobs.map(\.id)), .int64Array(jobs.map { Int64($0.attempt) }), .uuid(worker),
        ])
        return Set(try result.map { Int64(try $0.int(0)) })
    }

    /// Inserts or refreshes this process's row in `sealpress.workers` and registers the kinds it handles.
    public func register(_ worker: WorkerRegistration) throws {
        _ = try connection.query(QueueSQL.registerWorker, [
            .uuid(worker.id), .text(worker.name), .text(worker.host), .int(worker.pid), .int(worker.concurrency),
            worker.queues.map(PGValue.textArray) ?? .null, .textArray(worker.kinds),
        ])
    }

    /// Writes the heartbeat; false when the row is gone (the rescuer declared this worker dead).
    public func heartbeat(worker: UUID) throws -> Bool {
        try connection.query(QueueSQL.heartbeat, [.uuid(worker)]).rowCount == 1
    }

    /// Removes this worker's row (clean shutdown).
    public func deregister(worker: UUID) throws {
        _ = try connection.query(QueueSQL.deregisterWorker, [.uuid(worker)])
    }

    // MARK: - Leader duties

    /// Deletes workers silent for `afterSeconds` and returns their running jobs. Returns (workers, jobs).
    @discardableResult
    public func rescue(afterSeconds: Double) throws -> (workers: Int, jobs: Int) {
        let row = try connection.query(QueueSQL.rescue, [.double(afterSeconds)])[0]
        return (try row.int(0), try row.int(1))
    }

    /// Makes due scheduled/retryable jobs available; returns how many.
    @discardableResult
    public func promote(limit: Int = 5000) throws -> Int {
        try connection.query(QueueSQL.promote, [.int(limit)]).rowCount
    }

    /// Deletes finished jobs past their retention; returns (jobs, documents) deleted.
    @discardableResult
    public func prune(_ retention: RetentionPolicy, limit: Int = 5000) throws -> (jobs: Int, documents: Int) {
        let row = try connection.query(QueueSQL.prune, [
            .double(retention.completedSeconds), .double(retention.cancelledSeconds),
            .double(retention.discardedSeconds), .int(limit),
        ])[0]
        return (try row.int(0), try row.int(1))
    }

    // MARK: - Reading

    /// One job, or nil.
    public func job(id: Int64) throws -> JobRecord? {
        let result = try mapped {
            try connection.query("""
                SELECT id, kind, queue, state::text AS state, priority::int AS priority, attempt::int AS attempt,
                       max_attempts::int AS max_attempts, locked_by, args::text AS args, errors::text AS errors,
                       jsonb_array_length(errors) AS error_count, last_error_code, idempotency_key, batch_id,
                       scheduled_at, created_at, finalized_at
                  FROM sealpress.jobs WHERE id = $1
                """, [.int64(id)])
        }
        guard let row = result.first else { return nil }
        return JobRecord(
            id: Int64(try row.int("id")), kind: try row.string("kind"), queue: try row.string("queue"),
            state: JobState(rawValue: try row.string("state")) ?? .available, priority: try row.int("priority"),
            attempt: try row.int("attempt"), maxAttempts: try row.int("max_attempts"),
            lockedBy: try row.optionalUUID("locked_by"), argsJSON: try row.string("args"),
            errorsJSON: try row.string("errors"), errorCount: try row.int("error_count"),
            lastErrorCode: try row.optionalString("last_error_code").flatMap(JobErrorCode.init(rawValue:)),
            idempotencyKey: try row.optionalString("idempotency_key"),
            batchID: try row.optionalInt("batch_id").map(Int64.init), scheduledAt: try row.date("scheduled_at"),
            createdAt: try row.date("created_at"), finalizedAt: try row.optionalDate("finalized_at"))
    }

    /// Runs `body`, turning the server's "no such schema/function" and SealPress's own SQLSTATEs into
    /// ``QueueError``s with a clear reason.
    func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PGError {
            switch error.sqlState {
            case "SP001":
                let hint = error.detail.map { " (\($0.replacingOccurrences(of: "\n", with: " ")))" } ?? ""
                throw QueueError(.unknownKind, error.reason + hint)
            case "SP002", "22P02", "23514":
                throw QueueError(.invalidArguments, error.reason)
            case "3F000", "42P01", "42883", "42704":
                throw QueueError(.schemaMissing, "the SealPress schema is missing or outdated; run `sealpress migrate`")
            default:
                throw error
            }
        }
    }
}
