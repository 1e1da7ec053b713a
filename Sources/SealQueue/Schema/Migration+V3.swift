/// Migration 3: failure codes and job contracts.
///
/// - `sealpress.jobs.last_error_code`: the code of the latest failed, rescued or released attempt (a
///   ``JobErrorCode`` raw value; each `errors` entry also carries its `code`). Nullable without a default, so adding
///   it rewrites nothing.
/// - `sealpress.job_kinds.requires_document` and `required_args`: a kind's contract, checked by
///   `sealpress.enqueue` and `sealpress.enqueue_many` for every producer (the pipeline's migration sets them for
///   `stamp` and `verify`). A required argument must be a non-empty JSON string. Violations raise `SP002`.
extension Migration {
    static let v3ErrorCodes = Migration(version: 3, name: "failure codes and job contracts", sql: #"""
ALTER TABLE sealpress.jobs ADD COLUMN last_error_code text;

ALTER TABLE sealpress.job_kinds
    ADD COLUMN requires_document boolean NOT NULL DEFAULT false,
    ADD COLUMN required_args     text[]  NOT NULL DEFAULT '{}';

-- The kind exists (SP001) and the arguments meet its contract (SP002).
CREATE FUNCTION sealpress.check_job(p_kind text, p_args jsonb, p_has_document boolean) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    k sealpress.job_kinds;
    missing text;
BEGIN
    SELECT * INTO k FROM sealpress.job_kinds WHERE kind = p_kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown job kind "%"', p_kind
            USING ERRCODE = 'SP001',
                  HINT = 'known kinds: ' || (SELECT string_agg(kind, ', ' ORDER BY kind) FROM sealpress.job_kinds);
    END IF;
    IF k.requires_document AND NOT p_has_document THEN
        RAISE EXCEPTION 'a % job needs an input document (sealpress.enqueue(..., document => ...))', p_kind
            USING ERRCODE = 'SP002';
    END IF;
    SELECT a INTO missing FROM unnest(k.required_args) AS a
     WHERE jsonb_typeof(coalesce(p_args, '{}') -> a) IS DISTINCT FROM 'string'
        OR length(coalesce(p_args, '{}') ->> a) = 0
     LIMIT 1;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'a % job needs args.% (a non-empty string); it needs: %', p_kind, missing,
                        array_to_string(k.required_args, ', ')
            USING ERRCODE = 'SP002';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION sealpress.enqueue(
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
    content_type    text        DEFAULT NULL)
RETURNS TABLE (job_id bigint, created boolean) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_doc bigint;
    v_batch bigint;
    v_id bigint;
BEGIN
    PERFORM sealpress.check_job(enqueue.kind, enqueue.args, enqueue.document IS NOT NULL);
    IF enqueue.idempotency_key IS NOT NULL THEN
        SELECT j.id INTO v_id FROM sealpress.jobs j
         WHERE j.idempotency_key = enqueue.idempotency_key
           AND j.state IN ('available', 'scheduled', 'running', 'retryable');
        IF v_id IS NOT NULL THEN job_id := v_id; created := false; RETURN NEXT; RETURN; END IF;
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
                                         idempotency_key, batch_id, document_id)
        VALUES (enqueue.kind, coalesce(enqueue.args, '{}'), coalesce(enqueue.queue, 'default'),
                coalesce(enqueue.priority, 0), coalesce(enqueue.scheduled_at, now()),
                CASE WHEN enqueue.scheduled_at > now() THEN 'scheduled' ELSE 'available' END::sealpress.job_state,
                coalesce(enqueue.max_attempts, 20), enqueue.idempotency_key, v_batch, v_doc)
        ON CONFLICT (idempotency_key)
            WHERE idempotency_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable')
            DO NOTHING
        RETURNING j.id INTO v_id;
        IF v_id IS NOT NULL THEN job_id := v_id; created := true; RETURN NEXT; RETURN; END IF;
        -- Lost a race with a concurrent producer using the same key: return its job (or retry if it finished).
        SELECT j.id INTO v_id FROM sealpress.jobs j
         WHERE j.idempotency_key = enqueue.idempotency_key
           AND j.state IN ('available', 'scheduled', 'running', 'retryable');
        IF v_id IS NOT NULL THEN
            IF v_doc IS NOT NULL THEN DELETE FROM sealpress.documents WHERE id = v_doc; END IF;
            job_id := v_id; created := false; RETURN NEXT; RETURN;
        END IF;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION sealpress.enqueue_many(
    kind             text,
    args             jsonb,
    queue            text        DEFAULT 'default',
    priority         integer     DEFAULT 0,
    scheduled_at     timestamptz DEFAULT NULL,
    max_attempts     integer     DEFAULT 20,
    idempotency_keys text[]      DEFAULT NULL,
    batch_label      text        DEFAULT NULL)
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
                                         idempotency_key, batch_id)
        SELECT i.new_id, enqueue_many.kind, i.elem, coalesce(enqueue_many.queue, 'default'),
               coalesce(enqueue_many.priority, 0), coalesce(enqueue_many.scheduled_at, now()),
               CASE WHEN enqueue_many.scheduled_at > now() THEN 'scheduled' ELSE 'available' END::sealpress.job_state,
               coalesce(enqueue_many.max_attempts, 20), i.key, v_batch
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

DROP FUNCTION sealpress.check_kind(text);
"""#)
}
