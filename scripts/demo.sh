#!/usr/bin/env bash
# make demo: the queue end to end on the embedded PostgreSQL.
#   scripts/demo.sh /path/to/sealpress [jobs]
# Starts (or reuses) the private cluster under $SEALPRESS_HOME (default ./.sealpress), migrates it, enqueues a batch
# of no-op jobs, runs two worker processes until the queue is empty, and prints the status. Safe to run again:
# every run uses a new batch label and the cluster is reused.
set -euo pipefail

bin="${1:?usage: scripts/demo.sh /path/to/sealpress [jobs]}"
jobs="${2:-3000}"
if [[ ! -x "$bin" ]]; then
    echo "demo: $bin is not an executable (build with: swift build -c release)" >&2
    exit 2
fi
export SEALPRESS_HOME="${SEALPRESS_HOME:-$PWD/.sealpress}"
# The demo always uses the embedded cluster, whatever the shell has configured.
unset DATABASE_URL PGHOST PGHOSTADDR PGPORT PGDATABASE PGSERVICE PGUSER

step() { printf '\n==> %s\n' "$*"; }

step "starting the embedded PostgreSQL under $SEALPRESS_HOME"
url="$("$bin" db start)"
echo "database: $url"

step "migrating the schema (idempotent)"
"$bin" migrate

batch="demo-$(date +%Y%m%d-%H%M%S)-$$"
step "enqueueing $jobs no-op jobs as batch \"$batch\""
"$bin" enqueue --kind noop --count "$jobs" --batch "$batch" --args '{"sleep_ms": 1}'

step "running two worker processes until the queue is empty"
logs="$SEALPRESS_HOME/demo-logs"
mkdir -p "$logs"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
started=$(date +%s.%N)
for name in demo-1 demo-2; do
    "$bin" worker --id "$name" --concurrency 4 --exit-when-idle --log-level notice \
        >"$logs/$name.log" 2>&1 &
    pids+=("$!")
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
pids=()
trap - EXIT INT TERM
finished=$(date +%s.%N)
for name in demo-1 demo-2; do tail -n 1 "$logs/$name.log"; done
if [[ $failed -ne 0 ]]; then
    echo "demo: a worker failed; see $logs" >&2
    exit 1
fi
awk -v a="$started" -v b="$finished" -v n="$jobs" 'BEGIN { printf "%d jobs in %.2f s (%.0f jobs/s, 1 ms of sleep each, 2 × 4 slots)\n", n, b - a, n / (b - a) }'

step "queue status"
"$bin" status --batch "$batch"

step "where things are"
cat <<EOF
embedded cluster   $SEALPRESS_HOME (server log: $SEALPRESS_HOME/postgres.log)
database URL       $url
worker logs        $logs/
inspect            psql '$url' -c 'SELECT state, count(*) FROM sealpress.jobs GROUP BY 1'
producer SQL API   SELECT * FROM sealpress.enqueue('noop', '{"sleep_ms": 5}');   (see Docs/queue.md)
stop the cluster   $bin db stop
EOF
