INSERT INTO sealpress.documents (name, content_type, sha256, size_bytes, content) SELECT 'in.pdf', 'application/pdf', b.sha256, octet_length(b.bytes), b.bytes FROM public.bench_result_blobs b WHERE b.id < 10;
WITH c AS (
    SELECT id FROM sealpress.jobs
     WHERE state = 'available' AND scheduled_at <= now()
     ORDER BY priority, scheduled_at, id
     LIMIT 10 FOR UPDATE SKIP LOCKED),
u AS (
    UPDATE sealpress.jobs j
       SET state = 'running', attempt = j.attempt + 1, attempted_at = now(),
           locked_by = '00000000-0000-0000-0000-00000000b0b0'::uuid
      FROM c WHERE j.id = c.id
    RETURNING j.id)
SELECT coalesce(array_agg(id), '{}') AS ids FROM u \gset
BEGIN;
WITH done AS (
    UPDATE sealpress.jobs SET state = 'completed', finalized_at = now()
     WHERE id = ANY(:ids) AND state::text = 'running'
    RETURNING id, attempt)
INSERT INTO sealpress.outputs (job_id, attempt, worker_id, bytes, sha256)
SELECT d.id, d.attempt, '00000000-0000-0000-0000-00000000b0b0'::uuid, b.bytes, b.sha256
  FROM done d JOIN public.bench_small_blobs b ON b.id = d.id % 64;
INSERT INTO sealpress.usage_log (sequence, job_id, principal, seal, es_id, certificate_serial, format, document_before, document_after, signed_at, timestamp_token_hash, host, previous_hash, row_hash)
SELECT 0, j, 'bench', 'bench-seal', 'ES-1', '0a1b2c', 'pades-b-b', md5(j::text) || md5(j::text), md5(j::text || 'x') || md5(j::text), now(), NULL, 'host', '', '' FROM unnest(:ids::bigint[]) AS j;
COMMIT;
