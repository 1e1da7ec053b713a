import Foundation
import Postgres

/// Reads a worker process needs besides claiming and writing results: its own claims after a reconnect, the
/// input documents of its jobs, the leader lock, and what is still to come when it wants to exit when idle.
extension JobQueue {
    /// Makes this session plan prepared statements once (generic plans) and never as sequential scans: the fetch
    /// connection runs only the hot statements, whose generic plans are primary-key lookups (checked by
    /// QueryPlanTests), and skips re-planning the big fetch-cycle statement at every call.
    ///
    /// A generic plan is kept for the session's life, so it must not depend on the table's size when it was made:
    /// planned while `jobs` or `documents` held a few pages (a worker started on a new or empty queue), the fenced
    /// `UPDATE … WHERE id = ANY($1)` of a completion and the documents lookup became sequential scans and stayed
    /// so at thousands of rows. With `enable_seqscan = off` they take the primary keys at any size
    /// (`FetchSessionPlanTests`); the statements of this session have no use for a sequential scan. And `jit = off`:
    /// a statement that can only scan (the batch fold's `batch_deltas`) then costs 10^10, far above
    /// `jit_above_cost`, and JIT-compiling it took a second at every fold while the usage chain's lock was held.
    public func useGenericPlans() throws {
        try connection.execute("SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off; SET jit = off")
    }

    /// Makes the server end this session's transaction when it stays idle inside it for `seconds`
    /// (`idle_in_transaction_session_timeout`; the session is closed): a worker process that stalls in the middle of
    /// its results transaction would otherwise hold row locks the rescuer waits for until it wakes.
    public func limitIdleTransactions(seconds: Double) throws {
        _ = try connection.query("SELECT set_config('idle_in_transaction_session_timeout', $1, false)",
                                 [.text("\(Int((seconds * 1000).rounded()))ms")])
    }

    /// Makes this session's statements give up after waiting `seconds` for a lock (`lock_timeout`), so one blocked
    /// statement cannot stall the loop that runs it.
    public func limitLockWaits(seconds: Double) throws {
        _ = try connection.query("SELECT set_config('lock_timeout', $1, false)",
                                 [.text("\(Int((seconds * 1000).rounded()))ms")])
    }

    /// Jobs claimed by `worker` and still running that are not among `known` (a claim whose reply was lost).
    public func orphanedClaims(worker: UUID, known: [Int64]) throws -> [(id: Int64, attempt: Int)] {
        let result = try connection.query("""
            SELECT id, attempt::int AS attempt FROM sealpress.jobs
             WHERE locked_by = $1::uuid AND state = 'running' AND NOT (id = ANY($2::bigint[]))
            """, [.uuid(worker), .int64Array(known)])
        return try result.map { (id: Int64(try $0.int("id")), attempt: try $0.int("attempt")) }
    }

    /// Of the given (id, attempt) pairs, the jobs `worker` still holds (running, same attempt, locked by it).
    public func heldJobs(_ jobs: [(id: Int64, attempt: Int)], worker: UUID) throws -> Set<Int64> {
        guard !jobs.isEmpty else { return [] }
        let result = try connection.query("""
            SELECT j.id FROM sealpress.jobs j
              JOIN unnest($1::bigint[], $2::bigint[]) AS f(id, attempt) ON f.id = j.id AND f.attempt = j.attempt
             WHERE j.state = 'running' AND j.locked_by = $3
            """, [.int64Array(jobs.map(\.id)), .int64Array(jobs.map { Int64($0.attempt) }), .uuid(worker)])
        return Set(try result.map { Int64(try $0.int("id")) })
    }

    /// An input document by id, or nil when it is gone.
    public func document(id: Int64) throws -> StoredDocument? {
        let result = try connection.query(
            "SELECT id, name, content_type, sha256, content FROM sealpress.documents WHERE id = $1", [.int64(id)])
        guard let row = result.first else { return nil }
        return StoredDocument(
            id: Int64(try row.int("id")), name: try row.optionalString("name"),
            contentType: try row.string("content_type"), sha256: try row.bytes("sha256"),
            content: Data(try row.bytes("content")))
    }

    /// Documents up to this size (8 MiB) are read by the claim statement with their job; larger ones by the slot that
    /// runs the job, with ``documentBytes(id:spareCapacity:)``.
    public static let inlineDocumentBytes = 8 << 20

    /// The piece of a large document one statement reads (libpq holds a result twice while receiving it).
    public static let documentPieceBytes = 8 << 20

    /// An input document by id read in pieces of ``documentPieceBytes`` straight into one array with
    /// `spareCapacity` bytes of room after the content, or nil when it is gone. A 200 MB document costs the worker
    /// 200 MB plus one piece, where one statement reading it whole held it three times (libpq's input buffer, the
    /// result, the decoded copy). Documents are never changed, so the pieces belong together; the length is checked.
    public func documentBytes(id: Int64, spareCapacity: Int = 0) throws -> DocumentBytes? {
        let head = try connection.query(
            "SELECT name, content_type, sha256, size_bytes FROM sealpress.documents WHERE id = $1", [.int64(id)])
        guard let row = head.first else { return nil }
        let size = try row.int("size_bytes")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + max(0, spareCapacity))
        try readPieces(of: "content", in: "sealpress.documents", key: "id", id: id, size: size) { bytes.append(contentsOf: $0) }
        return DocumentBytes(
            id: id, name: try row.optionalString("name"), contentType: try row.string("content_type"),
            sha256: try row.bytes("sha256"), bytes: bytes)
    }

    /// Tries to take the leader lock (a session advisory lock: it is held until this connection closes).
    public func tryBecomeLeader() throws -> Bool {
        try connection.query("SELECT pg_try_advisory_lock($1)", [.int64(Self.leaderLockKey)])[0].bool(0)
    }

    /// Advisory lock key of the leader ("sealpldr" as ASCII).
    public static let leaderLockKey: Int64 = 0x7365_616C_706C_6472

    /// The `application_name` a worker's maintenance session carries, so that other workers can tell whose
    /// session holds the leader lock (``endStalledLeader(afterSeconds:)``).
    public static func maintenanceSessionName(worker: UUID) -> String {
        "sealpress-maint-" + worker.uuidString.lowercased()
    }

    /// Names this session as `worker`'s maintenance session (see ``maintenanceSessionName(worker:)``).
    public func nameMaintenanceSession(worker: UUID) throws {
        _ = try connection.query(
            "SELECT set_config('application_name', $1, false)", [.text(Self.maintenanceSessionName(worker: worker))])
    }

    /// Terminates the session holding the leader lock when it belongs to a worker whose heartbeat is older than
    /// `seconds` (or whose row the rescuer already removed); returns whether one was terminated.
    ///
    /// A stalled leader process (SIGSTOP, a paused VM, swap storm) keeps its session open, so its session lock
    /// would never be released: no other worker could become leader, and nothing would rescue jobs or promote
    /// retries until it woke. Sessions not named by ``nameMaintenanceSession(worker:)`` (older workers) are left
    /// alone.
    @discardableResult
    public func endStalledLeader(afterSeconds seconds: Double) throws -> Bool {
        try connection.query(QueueSQL.endStalledLeader, [
            .int64(Self.leaderLockKey >> 32), .int64(Self.leaderLockKey & 0xFFFF_FFFF), .double(seconds),
        ])[0].int(0) > 0
    }

    /// Jobs that will become claimable on `queues` within `seconds`: retryable and scheduled jobs due by then,
    /// and available jobs a claim passed over — held back by their seal's limits or locked by another claimer
    /// (`worker --exit-when-idle` waits for them instead of exiting).
    public func dueWithin(seconds: Double, queues: [String]?) throws -> Int {
        try connection.query("""
            SELECT count(*)::int8 FROM sealpress.jobs
             WHERE state IN ('available', 'scheduled', 'retryable')
               AND scheduled_at <= now() + make_interval(secs => $1::float8)
               AND ($2::text[] IS NULL OR queue = ANY($2::text[]))
            """, [.double(seconds), queues.map(PGValue.textArray) ?? .null])[0].int(0)
    }

    /// Retryable and scheduled jobs on `queues` due later than `seconds` from now.
    public func dueLater(seconds: Double, queues: [String]?) throws -> Int {
        try connection.query("""
            SELECT count(*)::int8 FROM sealpress.jobs
             WHERE state IN ('scheduled', 'retryable')
               AND scheduled_at > now() + make_interval(secs => $1::float8)
               AND ($2::text[] IS NULL OR queue = ANY($2::text[]))
            """, [.double(seconds), queues.map(PGValue.textArray) ?? .null])[0].int(0)
    }
}
