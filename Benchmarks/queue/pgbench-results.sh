#!/usr/bin/env bash
# The pipeline's database limit by hand: pgbench claiming 10 jobs per transaction and completing them in a second
# one that also writes a 100 KB result per job into sealpress.outputs (incompressible bytes from a pool of 64 blobs
# already on the server: TOAST + WAL + commits only). `sealpress bench pipeline` runs the same script
# (PgbenchResultWrites.script; a test keeps the two identical) before and after its own run and prints the ratio.
#
#   Benchmarks/queue/pgbench-results.sh DATABASE_URL [jobs] [clients] [bytes]
#
# DATABASE_URL must point at a SCRATCH database with SealPress's schema (sealpress migrate): the script empties
# sealpress.jobs and sealpress.outputs and creates public.bench_result_blobs.
set -euo pipefail
url="${1:?usage: pgbench-results.sh DATABASE_URL [jobs] [clients] [bytes]}"
jobs="${2:-4000}"
clients="${3:-2}"
bytes="${4:-102400}"
here="$(cd "$(dirname "$0")" && pwd)"
pgbench="$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1)"
[[ -x "$pgbench" ]] || { echo "pgbench not found (apt-get install postgresql)" >&2; exit 2; }

per_client=$(( jobs / 10 / clients ))
psql -X -q -v ON_ERROR_STOP=1 "$url" <<SQL
DROP TABLE IF EXISTS public.bench_result_blobs;
CREATE TABLE public.bench_result_blobs (id int PRIMARY KEY, bytes bytea NOT NULL, sha256 bytea NOT NULL);
ALTER TABLE public.bench_result_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL;
INSERT INTO public.bench_result_blobs (id, bytes, sha256)
SELECT i, b, sha256(b) FROM generate_series(0, 63) AS i,
       LATERAL (SELECT substring(decode(string_agg(md5(i::text || ':' || k::text || ':' || random()::text), ''), 'hex')
                                 FROM 1 FOR $bytes) AS b
                  FROM generate_series(1, ($bytes + 15) / 16) AS k) AS blob;
TRUNCATE sealpress.outputs, sealpress.jobs, sealpress.batches, sealpress.workers CASCADE;
SELECT count(*) FROM sealpress.enqueue_many('noop', (SELECT jsonb_agg('{}'::jsonb) FROM generate_series(1, $(( per_client * 10 * clients )))));
VACUUM ANALYZE sealpress.jobs;
CHECKPOINT;
SQL
out="$("$pgbench" -n -M prepared -c "$clients" -j "$clients" -t "$per_client" -f "$here/claim_complete_10_results.sql" "$url")"
echo "$out" | grep -E "^(tps|number of transactions actually processed|latency average)"
tps="$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) (without initial.*/\1/p')"
echo "results/s = $(awk -v t="$tps" 'BEGIN { printf "%.0f", t * 10 }') ($bytes bytes each, batches of 10, $clients clients)"
psql -X -q -At "$url" -c "SELECT 'completed: ' || count(*) || ', outputs: ' || (SELECT count(*) FROM sealpress.outputs) FROM sealpress.jobs WHERE state = 'completed'"
