#!/usr/bin/env bash
# The queue's physical baseline by hand: pgbench claiming 10 jobs per transaction and completing them in a second
# one, on SealPress's own jobs table (same indexes and triggers). `sealpress bench queue` runs the same script
# (PgbenchBaseline.script; a test keeps the two identical) interleaved with our workers and prints the ratio.
#
#   Benchmarks/queue/pgbench.sh DATABASE_URL [jobs] [clients]
#
# DATABASE_URL must point at a SCRATCH database: the script empties sealpress.jobs.
set -euo pipefail
url="${1:?usage: pgbench.sh DATABASE_URL [jobs] [clients]}"
jobs="${2:-50000}"
clients="${3:-2}"
here="$(cd "$(dirname "$0")" && pwd)"
pgbench="$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1)"
[[ -x "$pgbench" ]] || { echo "pgbench not found (apt-get install postgresql)" >&2; exit 2; }

psql -X -q -v ON_ERROR_STOP=1 "$url" <<SQL
TRUNCATE sealpress.outputs, sealpress.jobs, sealpress.batches, sealpress.workers CASCADE;
SELECT count(*) FROM sealpress.enqueue_many('noop', (SELECT jsonb_agg('{}'::jsonb) FROM generate_series(1, $jobs)));
VACUUM ANALYZE sealpress.jobs;
CHECKPOINT;
SQL
per_client=$(( jobs / 10 / clients ))
out="$("$pgbench" -n -M prepared -c "$clients" -j "$clients" -t "$per_client" -f "$here/claim_complete_10.sql" "$url")"
echo "$out" | grep -E "^(tps|number of transactions actually processed|latency average)"
tps="$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) (without initial.*/\1/p')"
echo "jobs/s = $(awk -v t="$tps" 'BEGIN { printf "%.0f", t * 10 }') (batches of 10, $clients clients)"
psql -X -q -At "$url" -c "SELECT 'completed: ' || count(*) FROM sealpress.jobs WHERE state = 'completed'"
