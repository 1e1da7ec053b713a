/// Migration 5: operator controls — paused queues and pipelines, and retrying a discarded job.
///
/// - `sealpress.pauses`: one row per paused queue (`scope = 'queue'`, the job's `queue`) or pipeline
///   (`scope = 'pipeline'`, the stamp job's `args.pipeline`). Claims skip the jobs of a paused queue or pipeline;
///   running jobs finish, and nothing is lost: the jobs stay `available` until the pause is lifted.
/// - `sealpress.retry(job_id)`: a discarded job becomes available again now, with one more attempt allowed; its
///   batch's `discarded` counter goes down by one (a delta, folded like every other), so the batch is unfinished
///   again until the job ends. Returns the state the job was in, or NULL when there is no such job.
/// - `sealpress.claim_jobs` (migration 4's claim, restated with `CREATE OR REPLACE`, same signature): candidates
///   skip the jobs of a paused queue or pipeline. The anti-join runs only when `sealpress.pauses` has a row, so an
///   unpaused system claims exactly as migration 4 does (limits, fair share, complete-and-claim unchanged).
extension Migration {
    static let v5OperatorControls = Migration(version: 5, name: "paused queues and pipelines, retry", sql: #"""
CREATE TABLE sealpress.pauses (
    scope      text NOT NULL CHECK (scope IN ('queue', 'pipeline')),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
    paused_by  text NOT NULL,
    paused_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, name)
);

CREATE FUNCTION sealpress.retry(p_job_id bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_old text;
    v_batch bigint;
BEGIN
    SELECT state::text, batch_id INTO v_old, v_batch FROM sealpress.jobs WHERE id = p_job_id FOR UPDATE;
    IF v_old IS NULL THEN RETURN NULL; END IF;
    IF v_old = 'discarded' THEN
        UPDATE sealpress.jobs
           SET state = 'available', scheduled_at = now(), finalized_at = NULL, locked_by = NULL,
               max_attempts = greatest(max_attempts, attempt + 1)
         WHERE id = p_job_id;
        IF v_batch IS NOT NULL THEN
            INSERT INTO sealpress.batch_deltas (batch_id, discarded) VALUES (v_batch, -1);
        END IF;
    END IF;
    RETURN v_old;
END $$;

-- Migration 4's claim with the pause check (candidates of a paused queue or pipeline are not considered).
CREATE OR REPLACE FUNCTION sealpress.claim_jobs(p_limit integer, p_worker uuid, p_queues text[] DEFAULT NULL,
                                     p_finishing bigint[] DEFAULT NULL)
RETURNS TABLE (id bigint, kind text, queue text, args text, priority integer, attempt integer,
               max_attempts integer, batch_id bigint, document_id bigint, created double precision)
LANGUAGE plpgsql ROWS 10 AS $$  -- ROWS: the documents join of a claim stays a primary-key lookup
#variable_conflict use_column
DECLARE
    v_fair boolean := coalesce(current_setting('sealpress.fair_share', true), '') NOT IN ('off', 'false', '0');
    v_paused boolean := EXISTS (SELECT 1 FROM sealpress.pauses);  -- empty unless an operator paused something
    v_blocked text[];
    v_ids bigint[];
    v_keys text[];
    v_limited text[] := '{}';
    v_allowed integer[] := '{}';
    v_key text;
    v_allow integer;
    v_count integer;
    v_principals text[];
    v_running integer[];
    l sealpress.job_limits;
BEGIN
    IF p_limit IS NULL OR p_limit <= 0 THEN RETURN; END IF;
    -- Keys that look full in this snapshot are not even considered (no head-of-line blocking of other keys).
    IF EXISTS (SELECT 1 FROM sealpress.job_limits) THEN
        SELECT coalesce(array_agg(jl.key), '{}') INTO v_blocked FROM sealpress.job_limits jl
         WHERE (jl.max_concurrent IS NOT NULL AND jl.max_concurrent <= (
                    SELECT count(*) FROM sealpress.jobs r WHERE r.state = 'running' AND r.limit_key = jl.key
                       AND NOT (r.locked_by = p_worker AND r.id = ANY(coalesce(p_finishing, '{}')))))
            OR (jl.rate_per_second IS NOT NULL AND least(jl.burst::float8, jl.tokens + jl.rate_per_second
                    * extract(epoch FROM clock_timestamp() - jl.refilled_at)) < 1);
    ELSE
        v_blocked := '{}';
    END IF;

    -- The principals with available jobs (a loose index scan: one probe per principal).
    WITH RECURSIVE principals(principal) AS (
        (SELECT j.principal FROM sealpress.jobs j WHERE j.state = 'available' ORDER BY j.principal LIMIT 1)
        UNION ALL
        SELECT (SELECT j.principal FROM sealpress.jobs j
                 WHERE j.state = 'available' AND j.principal > p.principal ORDER BY j.principal LIMIT 1)
          FROM principals p WHERE p.principal IS NOT NULL)
    SELECT array_agg(p.principal) INTO v_principals FROM principals p WHERE p.principal IS NOT NULL;
    IF v_principals IS NULL THEN RETURN; END IF;
    -- Their running jobs, only when there is a share to decide (one principal: priority order alone).
    v_running := array_fill(0, ARRAY[cardinality(v_principals)]);
    IF v_fair AND cardinality(v_principals) > 1 THEN
        SELECT array_agg(coalesce(r.n, 0) ORDER BY p.ord) INTO v_running
          FROM unnest(v_principals) WITH ORDINALITY AS p(principal, ord)
          LEFT JOIN (SELECT j.principal, count(*)::int AS n FROM sealpress.jobs j
                      WHERE j.state = 'running' AND j.principal = ANY(v_principals) GROUP BY j.principal) r
                 ON r.principal = p.principal;
    END IF;

    -- Candidates, locked: up to p_limit per principal in priority order, then ordered by the principal's share
    -- (its running jobs + the candidate's rank among its own).
    WITH candidates AS (
        SELECT x.id, x.limit_key, x.priority, x.scheduled_at,
               CASE WHEN v_fair THEN p.running
                    + row_number() OVER (PARTITION BY p.principal ORDER BY x.priority, x.scheduled_at, x.id)
                    ELSE 0 END AS share
          FROM unnest(v_principals, v_running) AS p(principal, running)
          CROSS JOIN LATERAL (
              SELECT j.id, j.limit_key, j.priority, j.scheduled_at FROM sealpress.jobs j
               WHERE j.state = 'available' AND j.principal = p.principal AND j.scheduled_at <= now()
                 AND (p_queues IS NULL OR j.queue = ANY(p_queues))
                 AND (j.limit_key IS NULL OR NOT (j.limit_key = ANY(v_blocked)))
                 AND (NOT v_paused OR NOT EXISTS (
                        SELECT 1 FROM sealpress.pauses ps
                         WHERE (ps.scope = 'queue' AND ps.name = j.queue)
                            OR (ps.scope = 'pipeline' AND ps.name = j.args ->> 'pipeline')))
               ORDER BY j.priority, j.scheduled_at, j.id
               LIMIT p_limit FOR UPDATE SKIP LOCKED) x)
    SELECT array_agg(c.id ORDER BY c.share, c.priority, c.scheduled_at, c.id),
           array_agg(c.limit_key ORDER BY c.share, c.priority, c.scheduled_at, c.id)
      INTO v_ids, v_keys FROM candidates c;
    IF v_ids IS NULL THEN RETURN; END IF;

    -- Each limited key among the candidates: its lock (or nothing this time), then a fresh count and its tokens.
    FOR v_key IN SELECT DISTINCT k FROM unnest(v_keys) AS k
                  WHERE k IS NOT NULL AND EXISTS (SELECT 1 FROM sealpress.job_limits jl WHERE jl.key = k) ORDER BY 1
    LOOP
        v_allow := 0;
        IF pg_try_advisory_xact_lock(1818848628, hashtext(v_key)) THEN  -- 0x6c696d74 'limt'
            SELECT * INTO l FROM sealpress.job_limits jl WHERE jl.key = v_key;
            v_allow := p_limit;
            IF l.max_concurrent IS NOT NULL THEN
                SELECT count(*) INTO v_count FROM sealpress.jobs r
                 WHERE r.state = 'running' AND r.limit_key = v_key
                   AND NOT (r.locked_by = p_worker AND r.id = ANY(coalesce(p_finishing, '{}')));
                v_allow := least(v_allow, l.max_concurrent - v_count);
            END IF;
            IF l.rate_per_second IS NOT NULL THEN
                v_allow := least(v_allow, floor(least(l.burst::float8, l.tokens + l.rate_per_second
                                 * extract(epoch FROM clock_timestamp() - l.refilled_at)))::integer);
            END IF;
        END IF;
        v_limited := v_limited || v_key;
        v_allowed := v_allowed || greatest(v_allow, 0);
    END LOOP;

    RETURN QUERY
    WITH ranked AS (
        SELECT u.id, u.k, u.ord, row_number() OVER (PARTITION BY u.k ORDER BY u.ord) AS nk
          FROM unnest(v_ids, v_keys) WITH ORDINALITY AS u(id, k, ord)),
    pick AS (
        SELECT r.id FROM ranked r LEFT JOIN unnest(v_limited, v_allowed) AS a(k, n) ON a.k = r.k
         WHERE a.k IS NULL OR r.nk <= a.n
         ORDER BY r.ord LIMIT p_limit),
    upd AS (
        UPDATE sealpress.jobs j
           SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), locked_by = p_worker
         WHERE j.id = ANY(ARRAY(SELECT pk.id FROM pick pk)) AND j.state::text = 'available'  -- by primary key
        RETURNING j.id, j.kind, j.queue, j.args::text AS args, j.priority::int AS priority, j.attempt::int AS attempt,
                  j.max_attempts::int AS max_attempts, j.batch_id, j.document_id,
                  extract(epoch FROM j.created_at)::float8 AS created, j.limit_key),
    spent AS (
        UPDATE sealpress.job_limits jl
           SET tokens = least(jl.burst::float8, jl.tokens + jl.rate_per_second
                              * extract(epoch FROM clock_timestamp() - jl.refilled_at)) - s.n,
               refilled_at = clock_timestamp()
          FROM (SELECT u.limit_key, count(*) AS n FROM upd u WHERE u.limit_key IS NOT NULL GROUP BY 1) s
         WHERE jl.key = s.limit_key AND jl.rate_per_second IS NOT NULL)
    SELECT u.id, u.kind, u.queue, u.args, u.priority, u.attempt, u.max_attempts, u.batch_id, u.document_id,
           u.created FROM upd u;
END $$;

DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sealpress_worker') THEN
        GRANT SELECT ON sealpress.pauses TO sealpress_worker;
    END IF;
END $$;
"""#)
}
