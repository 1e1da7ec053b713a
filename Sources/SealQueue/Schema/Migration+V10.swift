/// Migration 10: operator controls — paused queues and pipelines, and retrying a discarded job.
///
/// - `sealpress.pauses`: one row per paused queue (`scope = 'queue'`, the job's `queue`) or pipeline
///   (`scope = 'pipeline'`, the stamp job's `args.pipeline`). Claims skip the jobs of a paused queue or pipeline;
///   running jobs finish, and nothing is lost: the jobs stay `available` until the pause is lifted.
/// - `sealpress.retry(job_id)`: a discarded job becomes available again now, with one more attempt allowed; its
///   batch's `discarded` counter goes down by one (a delta, folded like every other), so the batch is unfinished
///   again until the job ends. Returns the state the job was in, or NULL when there is no such job.
///
/// Numbered 10 to leave 4…9 to queue changes made in parallel; the migrator applies versions in order.
extension Migration {
    static let v10OperatorControls = Migration(version: 10, name: "paused queues and pipelines, retry", sql: #"""
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

DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sealpress_worker') THEN
        GRANT SELECT ON sealpress.pauses TO sealpress_worker;
    END IF;
END $$;
"""#)
}
