/// The statements workers and the leader run. Every by-id statement fences on `state::text = 'running'` so the
/// planner can only use the primary key (the partial `state = 'running'` index would otherwise attract it and walk
/// dead entries; job-queue reference §5.4).
enum QueueSQL {
    // MARK: - Claim

    /// Which queues a claim takes from.
    enum QueueFilter: Sendable, Hashable {
        /// Every queue.
        case any
        /// One queue, bound to parameter `$<n>`.
        case one(parameter: Int)
        /// Several queues, a text array bound to `$<n>`.
        case several(parameter: Int)

        /// The queues as the `text[]` argument of `sealpress.claim_jobs` (NULL: every queue).
        var argument: String {
            switch self {
            case .any: "NULL::text[]"
            case .one(let n): "ARRAY[$\(n)::text]"
            case .several(let n): "$\(n)::text[]"
            }
        }
    }

    /// The CTE of a claim, named `claimed`: up to `$<limit>` available jobs for worker `$<worker>`, chosen and
    /// marked running by `sealpress.claim_jobs` (migration 4): candidates `FOR UPDATE SKIP LOCKED` per principal,
    /// the least-served principal first (fair share), priority order within a principal, and no more jobs of a
    /// limited key (a seal) than its concurrency and rate limits admit — counted in the database under the key's lock;
    /// the jobs of a paused queue or pipeline (`sealpress.pauses`) are skipped (migration 5 restates the function).
    ///
    /// - Parameter finishing: the parameter holding the ids this statement completes (complete-and-claim): they
    ///   no longer count against their keys' limits, so the freed capacity is claimed in the same round trip.
    static func claimCTEs(limit: Int, worker: Int, filter: QueueFilter, finishing: Int? = nil) -> String {
        let finishingArgument = finishing.map { "$\($0)::bigint[]" } ?? "NULL::bigint[]"
        return """
            claimed AS (
                SELECT * FROM sealpress.claim_jobs(
                    $\(limit)::int, $\(worker)::uuid, \(filter.argument), \(finishingArgument)))
            """
    }

    /// Claim: $1 limit, $2 worker, $3 the queue(s) when filtered. Rows: the claimed jobs with their input documents
    /// (``claimedColumns``).
    static func claim(filter: QueueFilter) -> String {
        "WITH " + claimCTEs(limit: 1, worker: 2, filter: filter) + "\nSELECT \(claimedColumns)\n" + claimedFrom
    }

    /// The columns of a claimed job, with its input document loaded in the same statement (one read per claim
    /// instead of one query per job) when it has at most ``JobQueue/inlineDocumentBytes``; a larger one is left to
    /// the slot that runs the job (``JobQueue/documentBytes(id:spareCapacity:)`` reads it in pieces), so a claim of
    /// several jobs never holds several large documents, nor libpq two copies of one.
    /// ``ClaimedJob/init(row:claimedAt:)`` reads them by these names.
    static let claimedColumns = """
        c.id, c.kind, c.queue, c.args, c.priority, c.attempt, c.max_attempts, c.batch_id, c.document_id, c.created, \
        d.name AS document_name, d.content_type AS document_type, d.sha256 AS document_sha256, \
        d.size_bytes AS document_size, \
        CASE WHEN d.size_bytes <= \(JobQueue.inlineDocumentBytes) THEN d.content END AS document
        """
    /// The document by its primary key for each claimed job (`OFFSET 0` keeps the subquery a per-row index lookup:
    /// as a plain join, the planner's 1,000-row guess for `claim_jobs` made it hash-join over a scan of every
    /// document, once per claim).
    static let claimedFrom = """
        FROM claimed c LEFT JOIN LATERAL (
            SELECT name, content_type, sha256, size_bytes, content FROM sealpress.documents WHERE id = c.document_id OFFSET 0) d ON true
        """

    // MARK: - Finish

    /// Complete jobs ($1 ids, $2 attempts) of worker $7 in one statement. Outputs arrive as ONE binary bytea ($3)
    /// sliced by offsets ($5) and lengths ($6, −1 = none); reports as a JSON array ($4, null = none). $8: per job,
    /// the length of the input document the output extends (0 = the slice is the whole output; otherwise the slice is
    /// what follows the job's whole input document, stored with `extends_input`, migration 6). $9: per job, the whole
    /// output's SHA-256 in hex as the worker computed it, or '' (the server then hashes it, reading the input back for
    /// an extension; migration 8). Only jobs that pass the fence get an output row; `sha256` is always the whole
    /// output's. Returns the ids that were completed.
    static let complete = "WITH " + completeCTEs + "\nSELECT id FROM done"

    /// Completion and claim in ONE statement (one round trip, one commit per fetch cycle): parameters as in
    /// ``complete``, then $10 claim limit and $11 the queue(s) when filtered. Rows: `(true, id, NULL…)` for each
    /// accepted completion, `(false, claimed job…)` for each claimed job.
    static func completeAndClaim(filter: QueueFilter) -> String {
        """
        WITH \(completeCTEs),
        \(claimCTEs(limit: 10, worker: 7, filter: filter, finishing: 1))
        SELECT true AS completion, id, NULL::text AS kind, NULL::text AS queue, NULL::text AS args, NULL::int AS priority,
               NULL::int AS attempt, NULL::int AS max_attempts, NULL::bigint AS batch_id, NULL::bigint AS document_id,
               NULL::float8 AS created, NULL::text AS document_name, NULL::text AS document_type,
               NULL::bytea AS document_sha256, NULL::bigint AS document_size, NULL::bytea AS document FROM done
        UNION ALL
        SELECT false, \(claimedColumns) \(claimedFrom)
        """
    }

    /// The CTEs `input`, `done` and `written` of a completion (see ``complete``).
    static let completeCTEs = """
        input AS (
            SELECT t.id, t.attempt, t.prefix > 0 AS extends_input, t.prefix,
                   CASE WHEN t.len >= 0 THEN substring($3::bytea FROM t.off::int + 1 FOR t.len::int) END AS bytes,
                   nullif($4::jsonb -> (t.ord::int - 1), 'null'::jsonb) AS report,
                   decode(nullif(t.sha256, ''), 'hex') AS sha256
              FROM unnest($1::bigint[], $2::bigint[], $5::bigint[], $6::bigint[], $8::bigint[], $9::text[])
                   WITH ORDINALITY AS t(id, attempt, off, len, prefix, sha256, ord)),
        done AS (
            UPDATE sealpress.jobs j SET state = 'completed', finalized_at = now()
              FROM input i
             WHERE j.id = ANY($1::bigint[]) AND j.id = i.id AND j.attempt = i.attempt AND j.locked_by = $7::uuid
               AND j.state::text = 'running'
            RETURNING j.id, j.attempt, j.document_id),
        written AS (
            INSERT INTO sealpress.outputs (job_id, attempt, worker_id, bytes, sha256, report, extends_input)
            SELECT d.id, d.attempt, $7::uuid, i.bytes,
                   CASE WHEN i.sha256 IS NOT NULL OR NOT i.extends_input THEN
                       -- the worker's hash of the whole output (migration 8): only the input's length is read
                       sealpress.output_sha256_given(d.id,
                           CASE WHEN i.extends_input THEN (SELECT size_bytes FROM sealpress.documents WHERE id = d.document_id) END,
                           i.prefix, i.bytes, i.sha256)
                   ELSE
                       -- no hash sent: the input is read back (by its key) and hashed with the extension (migration 6)
                       sealpress.output_sha256(d.id, (SELECT content FROM sealpress.documents WHERE id = d.document_id),
                           i.prefix, i.bytes)
                   END, i.report, i.extends_input
              FROM done d JOIN input i ON i.id = d.id
             WHERE i.bytes IS NOT NULL OR i.report IS NOT NULL
            ON CONFLICT (job_id) DO UPDATE SET attempt = EXCLUDED.attempt, worker_id = EXCLUDED.worker_id,
                bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256, report = EXCLUDED.report,
                extends_input = EXCLUDED.extends_input, created_at = now())
        """

    /// Fail jobs ($1 ids, $2 attempts) of worker $6: $3 retry delays in milliseconds, $4 a JSON array of
    /// error objects `{"code", "error"}` (the code also goes to `last_error_code`), $5 "discard now" flags (0/1). Returns (id, new state) for the jobs that passed the fence.
    static let fail = """
        WITH input AS (
            SELECT t.id, t.attempt, t.delay_ms / 1000.0 AS delay_s, t.discard_flag <> 0 AS discard,
                   coalesce(nullif($4::jsonb -> (t.ord::int - 1), 'null'::jsonb), '{}'::jsonb) AS err
              FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $5::bigint[])
                   WITH ORDINALITY AS t(id, attempt, delay_ms, discard_flag, ord)),
        upd AS (
            UPDATE sealpress.jobs j SET
                state = CASE WHEN i.discard OR j.attempt >= j.max_attempts THEN 'discarded'
                             WHEN i.delay_s <= 0 THEN 'available' ELSE 'retryable' END::sealpress.job_state,
                scheduled_at = CASE WHEN i.discard OR j.attempt >= j.max_attempts THEN j.scheduled_at
                                    ELSE now() + make_interval(secs => greatest(i.delay_s, 0)::float8) END,
                finalized_at = CASE WHEN i.discard OR j.attempt >= j.max_attempts THEN now() END,
                last_error_code = i.err ->> 'code',
                errors = j.errors || jsonb_build_array(
                    jsonb_build_object('attempt', j.attempt, 'at', now(), 'worker', $6::text) || i.err)
              FROM input i
             WHERE j.id = ANY($1::bigint[]) AND j.id = i.id AND j.attempt = i.attempt AND j.locked_by = $6::uuid
               AND j.state::text = 'running'
            RETURNING j.id, j.state::text)
        SELECT id, state FROM upd
        """

    /// Give running jobs ($1 ids, $2 attempts) of worker $3 back as available (graceful shutdown past the grace
    /// period). The attempt counter is kept (the fencing token never goes back); an error entry records why.
    static let release = """
        UPDATE sealpress.jobs j SET state = 'available', last_error_code = 'released',
               errors = j.errors || jsonb_build_array(jsonb_build_object(
                   'attempt', j.attempt, 'at', now(), 'worker', $3::text, 'code', 'released',
                   'error', 'worker shut down before the job finished; released for another worker'))
          FROM unnest($1::bigint[], $2::bigint[]) AS t(id, attempt)
         WHERE j.id = t.id AND j.attempt = t.attempt AND j.locked_by = $3::uuid AND j.state::text = 'running'
        RETURNING j.id
        """

    // MARK: - Workers

    /// Register (or re-register) worker $1 and the kinds it handles ($7).
    static let registerWorker = """
        WITH kinds AS (
            INSERT INTO sealpress.job_kinds (kind, description)
            SELECT k, 'registered by a worker' FROM unnest($7::text[]) AS k
            ON CONFLICT (kind) DO NOTHING)
        INSERT INTO sealpress.workers (id, name, host, pid, concurrency, queues, kinds)
        VALUES ($1::uuid, $2, $3, $4::int, $5::int, $6::text[], $7::text[])
        ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()
        """

    /// Heartbeat of worker $1; no row means the rescuer declared it dead (re-register).
    static let heartbeat = "UPDATE sealpress.workers SET heartbeat_at = now() WHERE id = $1::uuid RETURNING id"

    static let deregisterWorker = "DELETE FROM sealpress.workers WHERE id = $1::uuid"

    // MARK: - Leader duties

    /// Delete workers silent for more than $1 seconds and, in the same statement, return their running jobs (and
    /// any running job whose worker row is gone) as retryable — or discarded when attempts are exhausted — with an
    /// error entry. Returns (dead workers, rescued jobs).
    static let rescue = """
        WITH dead AS (
            DELETE FROM sealpress.workers WHERE heartbeat_at < now() - make_interval(secs => $1::float8)
            RETURNING id),
        rescued AS (
            UPDATE sealpress.jobs j SET
                state = CASE WHEN j.attempt >= j.max_attempts THEN 'discarded' ELSE 'retryable' END::sealpress.job_state,
                finalized_at = CASE WHEN j.attempt >= j.max_attempts THEN now() END,
                scheduled_at = now(), last_error_code = 'workerLost',
                errors = j.errors || jsonb_build_array(jsonb_build_object(
                    'attempt', j.attempt, 'at', now(), 'worker', j.locked_by::text, 'code', 'workerLost',
                    'error', 'worker stopped heartbeating; job rescued'))
             WHERE j.state = 'running'
               AND (j.locked_by IN (SELECT id FROM dead)
                    OR NOT EXISTS (SELECT 1 FROM sealpress.workers w WHERE w.id = j.locked_by))
            RETURNING j.id)
        SELECT (SELECT count(*) FROM dead)::bigint, (SELECT count(*) FROM rescued)::bigint
        """

    /// Terminate the session holding the leader lock (key halves $1, $2) when it is a named maintenance session of a
    /// worker whose heartbeat is older than $3 seconds or whose row is gone. Returns how many were terminated.
    static let endStalledLeader = """
        SELECT count(*) FILTER (WHERE pg_terminate_backend(a.pid))::int8
          FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
           AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
           -- advisory locks are per database: another installation's leader in the same cluster is not ours
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND a.datname = current_database()
           AND a.application_name LIKE 'sealpress-maint-%'
           AND a.pid <> pg_backend_pid()
           AND NOT EXISTS (
               SELECT 1 FROM sealpress.workers w
                WHERE a.application_name = 'sealpress-maint-' || w.id::text
                  AND w.heartbeat_at >= now() - make_interval(secs => $3::float8))
        """

    /// Make up to $1 due scheduled/retryable jobs available (the update trigger NOTIFYs their queues).
    static let promote = """
        WITH due AS (
            SELECT id FROM sealpress.jobs
             WHERE state IN ('scheduled', 'retryable') AND scheduled_at <= now()
             ORDER BY scheduled_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        UPDATE sealpress.jobs j SET state = 'available' FROM due WHERE j.id = due.id
        RETURNING j.id
        """

    /// Delete up to $4 finished jobs older than their retention ($1 completed, $2 cancelled, $3 discarded, in
    /// seconds), their outputs (cascade) and documents no other job references. Returns (jobs, documents).
    static let prune = """
        WITH victims AS (
            SELECT id FROM sealpress.jobs
             WHERE finalized_at IS NOT NULL
               AND ((state = 'completed' AND finalized_at < now() - make_interval(secs => $1::float8))
                 OR (state = 'cancelled' AND finalized_at < now() - make_interval(secs => $2::float8))
                 OR (state = 'discarded' AND finalized_at < now() - make_interval(secs => $3::float8)))
             LIMIT $4 FOR UPDATE SKIP LOCKED),
        gone AS (
            DELETE FROM sealpress.jobs j USING victims v WHERE j.id = v.id RETURNING j.id, j.document_id),
        docs AS (
            DELETE FROM sealpress.documents d
             WHERE d.id IN (SELECT document_id FROM gone WHERE document_id IS NOT NULL)
               AND NOT EXISTS (SELECT 1 FROM sealpress.jobs x
                                WHERE x.document_id = d.id AND x.id NOT IN (SELECT id FROM gone))
            RETURNING d.id)
        SELECT (SELECT count(*) FROM gone)::bigint, (SELECT count(*) FROM docs)::bigint
        """

    // MARK: - Producers and operators

    static let enqueue = """
        SELECT job_id, created, outcome FROM sealpress.enqueue(
            kind => $1, args => $2::jsonb, queue => $3, priority => $4::int,
            scheduled_at => to_timestamp($5::float8), max_attempts => $6::int, idempotency_key => $7,
            batch_label => $8, document => $9::bytea, document_name => $10, content_type => $11,
            principal => $12, limit_key => $13, unique_scope => $14,
            unique_within => make_interval(secs => $15::float8))
        """

    static let enqueueMany = """
        SELECT ordinal, job_id, created FROM sealpress.enqueue_many(
            kind => $1, args => $2::jsonb, queue => $3, priority => $4::int,
            scheduled_at => to_timestamp($5::float8), max_attempts => $6::int,
            idempotency_keys => $7::text[], batch_label => $8, principal => $9, limit_key => $10)
        """

    static let cancel = "SELECT sealpress.cancel($1::bigint)"
}
