/// Migration 4: limits that protect shared resources, fair share between principals, unique jobs by content.
///
/// - `sealpress.jobs.principal` (who the job is for; `''` when nobody said), `limit_key` (the shared resource the
///   job uses — for a stamp job its seal's registry name) and `unique_key` (document SHA-256, kind and scope, for
///   unique-by-content enqueues).
/// - `sealpress.job_limits`: per key, `max_concurrent` (running jobs of the key, counted in the database) and a
///   token bucket (`rate_per_second`, `burst`, `tokens`, `refilled_at`).
/// - `sealpress.claim_jobs(limit, worker, queues)`: THE claim. Candidates are taken per principal
///   (`FOR UPDATE SKIP LOCKED`, priority order within a principal) and ordered by the principal's share — its
///   running jobs plus the candidate's rank among its own candidates — so the least-served principal goes first;
///   a limited key admits only what its limit allows, decided under the key's transaction advisory lock after a
///   fresh count (plpgsql takes a new snapshot per statement), so claimers on any host never exceed it. Setting
///   `sealpress.fair_share = off` (database or role setting) orders by priority alone, as before.
/// - `sealpress.enqueue` / `enqueue_many` gain `principal`, `limit_key`, `unique_scope` and `unique_within` and
///   return an `outcome`: `created`, `existing` (a live job with the idempotency key) or `duplicate` (a job for the
///   same document, kind and scope created within `unique_within`, under the content key's advisory lock).
extension Migration {
    static let v4Limits = Migration(version: 4, name: "limits, fair share and unique content", sql: #"""
ALTER TABLE sealpress.jobs
    ADD COLUMN principal text NOT NULL DEFAULT '' CHECK (length(principal) <= 256),
    ADD COLUMN limit_key text CHECK (length(limit_key) BETWEEN 1 AND 256),
    ADD COLUMN unique_key text;

-- Candidates per principal in priority order, and the principals themselves (loose index scan).
CREATE INDEX jobs_fetch_principal ON sealpress.jobs (principal, priority, scheduled_at, id) WHERE state = 'available';
-- Running jobs per limited key (the exact count under the key's lock) and per principal (the share).
CREATE INDEX jobs_running_limit ON sealpress.jobs (limit_key) WHERE state = 'running' AND limit_key IS NOT NULL;
-- Earlier jobs for the same content (unique_within).
CREATE INDEX jobs_unique_content ON sealpress.jobs (unique_key, created_at) WHERE unique_key IS NOT NULL;

CREATE TABLE sealpress.job_limits (
    key             text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 256),
    max_concurrent  integer CHECK (max_concurrent >= 1),
    rate_per_second double precision CHECK (rate_per_second > 0),
    burst           integer NOT NULL DEFAULT 1 CHECK (burst >= 1),
    tokens          double precision NOT NULL DEFAULT 1,
    refilled_at     timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- p_finishing: jobs of p_worker the same statement completes (complete-and-claim); they no longer count as running.
CREATE FUNCTION sealpress.claim_jobs(p_limit integer, p_worker uuid, p_queues text[] DEFAULT NULL,
                                     p_finishing bigint[] DEFAULT NULL)
RETURNS TABLE (id bigint, kind text, queue text, args text, priority integer, attempt integer,
               max_attempts integer, batch_id bigint, document_id bigint, created double precision)
LANGUAGE plpgsql ROWS 10 AS $$  -- ROWS: the documents join of a claim stays a primary-key lookup
#variable_conflict use_column
DECLARE
    v_fair boolean := coalesce(current_setting('sealpress.fair_share', true), '') NOT IN ('off', 'false', '0');
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

-- The producer API, restated with principal, limit key and unique content (the return type changed: drop first).
DROP FUNCTION sealpress.enqueue(text, jsonb, text, integer, timestamptz, integer, text, text, bytea, text, text);
DROP FUNCTION sealpress.enqueue_many(text, jsonb, text, integer, timestamptz, integer, text[], text);

CREATE FUNCTION sealpress.enqueue(
    kind            text,
    args            jsonb       DEFAULT '{}',
    queue           text        DEFAULT 'default',
    priority        integer     DEFAULT 0,
    scheduled_at    timestamptz DEFAULT NULL,
    max_attempts    integer     DEFAULT 20,
    idempotency_key text        DEFAULT NULL,
    batch_label     text        DEFAULT NULL,
    document        bytea       DEFAULT NULL,
    document_name   text        DEFAULT NULL,
    content_type    text        DEFAULT NULL,
    principal       text        DEFAULT NULL,
    limit_key       text        DEFAULT NULL,
    unique_scope    text        DEFAULT NULL,
    unique_within   interval    DEFAULT NULL)
RETURNS TABLE (job_id bigint, created boolean, outcome text) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_doc bigint;
    v_batch bigint;
    v_id bigint;
    v_principal text := coalesce(enqueue.principal, enqueue.args ->> 'principal', '');
    v_unique text;
BEGIN
    PERFORM sealpress.check_job(enqueue.kind, enqueue.args, enqueue.document IS NOT NULL);
    IF enqueue.idempotency_key IS NOT NULL THEN
        SELECT j.id INTO v_id FROM sealpress.jobs j
         WHERE j.idempotency_key = enqueue.idempotency_key
           AND j.state IN ('available', 'scheduled', 'running', 'retryable');
        IF v_id IS NOT NULL THEN job_id := v_id; created := false; outcome := 'existing'; RETURN NEXT; RETURN; END IF;
    END IF;
    IF enqueue.unique_within IS NOT NULL THEN
        IF enqueue.document IS NULL THEN
            RAISE EXCEPTION 'unique_within needs a document (jobs are unique by their document''s content)'
                USING ERRCODE = 'SP002';
        END IF;
        v_unique := encode(sha256(enqueue.document), 'hex') || ':' || enqueue.kind || ':'
                    || coalesce(enqueue.unique_scope, '');
        -- One enqueuer per content key at a time (until commit); the check below then sees every committed job.
        PERFORM pg_advisory_xact_lock(1970170211, hashtext(v_unique));  -- 0x756e6963 'unic'
        SELECT j.id INTO v_id FROM sealpress.jobs j
         WHERE j.unique_key = v_unique AND j.created_at > now() - enqueue.unique_within
           AND j.state NOT IN ('cancelled', 'discarded')
         ORDER BY j.id LIMIT 1;
        IF v_id IS NOT NULL THEN job_id := v_id; created := false; outcome := 'duplicate'; RETURN NEXT; RETURN; END IF;
    END IF;
    IF enqueue.document IS NOT NULL THEN
        INSERT INTO sealpress.documents (name, content_type, sha256, size_bytes, content)
        VALUES (enqueue.document_name, coalesce(enqueue.content_type, 'application/octet-stream'),
                sha256(enqueue.document), length(enqueue.document), enqueue.document)
        RETURNING id INTO v_doc;
    END IF;
    v_batch := sealpress.batch_id_for(enqueue.batch_label);
    LOOP
        INSERT INTO sealpress.jobs AS j (kind, args, queue, priority, scheduled_at, state, max_attempts,
                                         idempotency_key, batch_id, document_id, principal, limit_key, unique_key)
        VALUES (enqueue.kind, coalesce(enqueue.args, '{}'), coalesce(enqueue.queue, 'default'),
                coalesce(enqueue.priority, 0), coalesce(enqueue.scheduled_at, now()),
                CASE WHEN enqueue.scheduled_at > now() THEN 'scheduled' ELSE 'available' END::sealpress.job_state,
                coalesce(enqueue.max_attempts, 20), enqueue.idempotency_key, v_batch, v_doc, v_principal,
                enqueue.limit_key, v_unique)
        ON CONFLICT (idempotency_key)
            WHERE idempotency_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable')
            DO NOTHING
        RETURNING j.id INTO v_id;
        IF v_id IS NOT NULL THEN job_id := v_id; created := true; outcome := 'created'; RETURN NEXT; RETURN; END IF;
        -- Lost a race with a concurrent producer using the same key: return its job (or retry if it finished).
        SELECT j.id INTO v_id FROM sealpress.jobs j
         WHERE j.idempotency_key = enqueue.idempotency_key
           AND j.state IN ('available', 'scheduled', 'running', 'retryable');
        IF v_id IS NOT NULL THEN
            IF v_doc IS NOT NULL THEN DELETE FROM sealpress.documents WHERE id = v_doc; END IF;
            job_id := v_id; created := false; outcome := 'existing'; RETURN NEXT; RETURN;
        END IF;
    END LOOP;
END $$;

CREATE FUNCTION sealpress.enqueue_many(
    kind             text,
    args             jsonb,
    queue            text        DEFAULT 'default',
    priority         integer     DEFAULT 0,
    scheduled_at     timestamptz DEFAULT NULL,
    max_attempts     integer     DEFAULT 20,
    idempotency_keys text[]      DEFAULT NULL,
    batch_label      text        DEFAULT NULL,
    principal        text        DEFAULT NULL,
    limit_key        text        DEFAULT NULL)
RETURNS TABLE (ordinal bigint, job_id bigint, created boolean) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_batch bigint;
    v_kind sealpress.job_kinds;
BEGIN
    SELECT * INTO v_kind FROM sealpress.job_kinds k WHERE k.kind = enqueue_many.kind;
    IF NOT FOUND THEN
        PERFORM sealpress.check_job(enqueue_many.kind, '{}', false);  -- raises SP001 with the known kinds
    END IF;
    IF jsonb_typeof(enqueue_many.args) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'enqueue_many: args must be a JSON array of objects' USING ERRCODE = 'SP002';
    END IF;
    IF v_kind.requires_document THEN
        RAISE EXCEPTION 'a % job needs an input document: enqueue it with sealpress.enqueue(..., document => ...)',
                        enqueue_many.kind USING ERRCODE = 'SP002';
    END IF;
    IF cardinality(v_kind.required_args) > 0 THEN
        PERFORM sealpress.check_job(enqueue_many.kind, a.elem, false)
           FROM jsonb_array_elements(enqueue_many.args) AS a(elem);
    END IF;
    v_batch := sealpress.batch_id_for(enqueue_many.batch_label);
    RETURN QUERY
    WITH input AS MATERIALIZED (
        SELECT a.ord, a.elem, k.key,
               nextval(pg_get_serial_sequence('sealpress.jobs', 'id')) AS new_id
          FROM jsonb_array_elements(enqueue_many.args) WITH ORDINALITY AS a(elem, ord)
          LEFT JOIN unnest(enqueue_many.idempotency_keys) WITH ORDINALITY AS k(key, ord) ON k.ord = a.ord
    ), ins AS (
        INSERT INTO sealpress.jobs AS j (id, kind, args, queue, priority, scheduled_at, state, max_attempts,
                                         idempotency_key, batch_id, principal, limit_key)
        SELECT i.new_id, enqueue_many.kind, i.elem, coalesce(enqueue_many.queue, 'default'),
               coalesce(enqueue_many.priority, 0), coalesce(enqueue_many.scheduled_at, now()),
               CASE WHEN enqueue_many.scheduled_at > now() THEN 'scheduled' ELSE 'available' END::sealpress.job_state,
               coalesce(enqueue_many.max_attempts, 20), i.key, v_batch,
               coalesce(enqueue_many.principal, i.elem ->> 'principal', ''), enqueue_many.limit_key
          FROM input i ORDER BY i.ord
        ON CONFLICT (idempotency_key)
            WHERE idempotency_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable')
            DO NOTHING
        RETURNING j.id, j.idempotency_key
    )
    SELECT i.ord, coalesce(ins.id, first_in_call.id, live.id), ins.id IS NOT NULL
      FROM input i
      LEFT JOIN ins ON ins.id = i.new_id
      LEFT JOIN LATERAL (SELECT x.id FROM ins x WHERE i.key IS NOT NULL AND x.idempotency_key = i.key LIMIT 1)
           first_in_call ON true
      LEFT JOIN LATERAL (SELECT j.id FROM sealpress.jobs j
                          WHERE i.key IS NOT NULL AND j.idempotency_key = i.key
                            AND j.state IN ('available', 'scheduled', 'running', 'retryable') LIMIT 1) live ON true
     ORDER BY i.ord;
END $$;

-- The worker role (created by the pipeline schema) claims through job_limits when that schema was applied first.
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sealpress_worker') THEN
        GRANT SELECT, UPDATE ON sealpress.job_limits TO sealpress_worker;
    END IF;
END $$;
"""#)
}
