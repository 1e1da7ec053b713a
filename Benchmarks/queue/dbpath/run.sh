#!/usr/bin/env bash
# Where a pipeline job's database time goes, in pgbench's terms (Docs/benchmarks.md, "The pipeline's database path"):
# interleaved rounds of the variants below on a SCRATCH database with SealPress's schema, each seeded like
# ../pgbench-results.sh, with jobs/s and WAL per job (pg_current_wal_lsn deltas).
#
#   Benchmarks/queue/dbpath/run.sh DATABASE_URL [jobs] [rounds] [variants…]
#
#   results                          ../claim_complete_10_results.sql: the database limit (100 KB result per job)
#   input_and_whole_output           + the 100 KB input document written per job (enqueue): the pipeline before
#   input_and_extension              the input, and an output stored as the 12 KB it appends (queue migration 6)
#   input_extension_usage            + one usage-log row per job (chain trigger) in the completion transaction
#   input_extension_usage_unchained  the same rows into a copy of the table without the chain trigger
set -euo pipefail
url="${1:?usage: run.sh DATABASE_URL [jobs] [rounds] [variants…]}"
jobs="${2:-2000}"
rounds="${3:-3}"
shift $(( $# < 3 ? $# : 3 ))
variants=("$@")
(( ${#variants[@]} )) || variants=(results input_and_whole_output input_and_extension input_extension_usage input_extension_usage_unchained)
here="$(cd "$(dirname "$0")" && pwd)"
pgbench="$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1)"
clients=2
per=$(( jobs / 10 / clients ))
psql -X -q -v ON_ERROR_STOP=1 "$url" -f "$here/setup.sql" >/dev/null
for round in $(seq 1 "$rounds"); do
    for variant in "${variants[@]}"; do
        script="$here/$variant.sql"
        [[ "$variant" == results ]] && script="$here/../claim_complete_10_results.sql"
        psql -X -q -v ON_ERROR_STOP=1 "$url" >/dev/null <<SQL
TRUNCATE sealpress.outputs, sealpress.jobs, sealpress.batches, sealpress.workers, sealpress.documents CASCADE;
SELECT count(*) FROM sealpress.enqueue_many('noop', (SELECT jsonb_agg('{}'::jsonb) FROM generate_series(1, $(( per * 10 * clients )))));
VACUUM ANALYZE sealpress.jobs;
CHECKPOINT;
SQL
        before="$(psql -X -At "$url" -c "SELECT pg_current_wal_lsn()")"
        out="$("$pgbench" -n -M prepared -c "$clients" -j "$clients" -t "$per" -f "$script" "$url" 2>&1)"
        after="$(psql -X -At "$url" -c "SELECT pg_current_wal_lsn()")"
        wal="$(psql -X -At "$url" -c "SELECT round(pg_wal_lsn_diff('$after', '$before') / 1024.0 / $(( per * 10 * clients )))")"
        tps="$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) (without initial.*/\1/p')"
        printf "round %d %-32s %5.0f jobs/s  %4d KB WAL/job  load %s\n" "$round" "$variant" \
            "$(awk -v t="${tps:-0}" 'BEGIN { print t * 10 }')" "$wal" "$(cut -d' ' -f1 /proc/loadavg)"
    done
done
