/// Migration 2: batch counters without a hot row.
///
/// Version 1 kept each batch's counters by updating its `batches` row from the statement triggers on `jobs`. Every
/// completion of a batch then waited for the row lock of the previous one until that transaction committed, and a
/// producer enqueuing into a running batch held the same lock for its whole transaction: completions of one batch
/// ran one transaction at a time. Now the triggers only INSERT counter deltas (no lock on anything shared), and
/// ``sealpress.fold_batch_deltas()`` adds them to the batch rows in a short transaction of its own: workers call it
/// right after each commit of results, the leader on every maintenance tick. Readers that need exact numbers
/// read the view `sealpress.batch_progress` (folded counters plus the deltas not folded yet).
extension Migration {
    static let v2BatchDeltas = Migration(version: 2, name: "batch counters as folded deltas", sql: #"""
-- Counter changes not yet added to their batch row. Insert-only for the triggers; the fold deletes what it adds.
CREATE TABLE sealpress.batch_deltas (
    batch_id   bigint  NOT NULL,
    total      integer NOT NULL DEFAULT 0,
    completed  integer NOT NULL DEFAULT 0,
    discarded  integer NOT NULL DEFAULT 0,
    cancelled  integer NOT NULL DEFAULT 0
);

CREATE OR REPLACE FUNCTION sealpress.jobs_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE q text;
BEGIN
    FOR q IN SELECT DISTINCT queue FROM new_rows WHERE state = 'available' LOOP
        PERFORM pg_notify('sealpress_jobs', q);
    END LOOP;
    INSERT INTO sealpress.batch_deltas (batch_id, total)
    SELECT batch_id, count(*)::int FROM new_rows WHERE batch_id IS NOT NULL GROUP BY batch_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION sealpress.jobs_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE q text;
BEGIN
    FOR q IN SELECT DISTINCT n.queue FROM new_rows n JOIN old_rows o ON o.id = n.id
              WHERE n.state = 'available' AND o.state <> 'available' LOOP
        PERFORM pg_notify('sealpress_jobs', q);
    END LOOP;
    INSERT INTO sealpress.batch_deltas (batch_id, completed, discarded, cancelled)
    SELECT n.batch_id,
           count(*) FILTER (WHERE n.state = 'completed')::int,
           count(*) FILTER (WHERE n.state = 'discarded')::int,
           count(*) FILTER (WHERE n.state = 'cancelled')::int
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE n.batch_id IS NOT NULL AND n.state <> o.state
       AND n.state IN ('completed', 'discarded', 'cancelled')
       AND o.state NOT IN ('completed', 'discarded', 'cancelled')
     GROUP BY n.batch_id;
    RETURN NULL;
END $$;

-- Adds the committed deltas to their batch rows and marks batches finished (the NOTIFY trigger of the pipeline
-- schema fires on finished_at). One folder at a time (a transaction advisory lock), so concurrent folds never
-- deadlock and the last one to run sees every committed delta. Returns the number of batch rows changed.
CREATE FUNCTION sealpress.fold_batch_deltas() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE changed integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM sealpress.batch_deltas) THEN RETURN 0; END IF;
    PERFORM pg_advisory_xact_lock(1936023916, 2);  -- 0x7365616c 'seal', 2: the batch fold
    WITH taken AS (
        DELETE FROM sealpress.batch_deltas RETURNING *),
    summed AS (
        SELECT batch_id, sum(total)::int AS total, sum(completed)::int AS completed,
               sum(discarded)::int AS discarded, sum(cancelled)::int AS cancelled
          FROM taken GROUP BY batch_id),
    changed_rows AS (
        UPDATE sealpress.batches b
           SET total = b.total + s.total,
               completed = b.completed + s.completed,
               discarded = b.discarded + s.discarded,
               cancelled = b.cancelled + s.cancelled,
               finished_at = CASE WHEN b.completed + s.completed + b.discarded + s.discarded
                                       + b.cancelled + s.cancelled >= b.total + s.total
                                  THEN coalesce(b.finished_at, now()) END
          FROM summed s WHERE b.id = s.batch_id
        RETURNING b.id)
    SELECT count(*) INTO changed FROM changed_rows;
    RETURN changed;
END $$;

-- Exact progress at any moment: the folded counters plus the committed deltas not folded yet.
CREATE VIEW sealpress.batch_progress AS
SELECT b.id, b.label,
       b.total + coalesce(d.total, 0) AS total,
       b.completed + coalesce(d.completed, 0) AS completed,
       b.discarded + coalesce(d.discarded, 0) AS discarded,
       b.cancelled + coalesce(d.cancelled, 0) AS cancelled,
       b.created_at, b.finished_at
  FROM sealpress.batches b
  LEFT JOIN (SELECT batch_id, sum(total)::int AS total, sum(completed)::int AS completed,
                    sum(discarded)::int AS discarded, sum(cancelled)::int AS cancelled
               FROM sealpress.batch_deltas GROUP BY batch_id) d ON d.batch_id = b.id;

-- The worker role (created by the pipeline schema) needs the new table when that schema was applied first.
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sealpress_worker') THEN
        GRANT SELECT, INSERT, DELETE ON sealpress.batch_deltas TO sealpress_worker;
        GRANT SELECT ON sealpress.batch_progress TO sealpress_worker;
    END IF;
END $$;
"""#)
}
