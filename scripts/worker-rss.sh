#!/usr/bin/env bash
# A worker's memory over many jobs: one `sealpress worker` process burns down N no-op jobs on a private embedded
# cluster while its RSS (VmRSS in /proc/PID/status) is sampled with the number of completed jobs. Prints the samples
# as CSV (jobs_completed,rss_kb) and the growth from the first sample after warm-up (10 % of the jobs) to the last.
#
#   scripts/worker-rss.sh [jobs] [interval_seconds] [sealpress binary] [csv file]
#
# Example: scripts/worker-rss.sh 100000 1 .build/release/sealpress /tmp/rss.csv
set -euo pipefail
jobs="${1:-100000}"
interval="${2:-1}"
bin="${3:-.build/release/sealpress}"
csv="${4:-/dev/stdout}"
home="$(mktemp -d /tmp/sealpress-rss-XXXXXX)"
export SEALPRESS_HOME="$home"
cleanup() {
    [[ -n "${worker:-}" ]] && kill "$worker" 2>/dev/null || true
    "$bin" db stop >/dev/null 2>&1 || true
    rm -rf "$home"
}
trap cleanup EXIT
"$bin" db start >/dev/null 2>&1
url="$("$bin" db url)"
"$bin" migrate --database-url "$url" >/dev/null
left="$jobs"
while (( left > 0 )); do
    chunk=$(( left < 50000 ? left : 50000 ))
    "$bin" enqueue --database-url "$url" --kind noop --count "$chunk" >/dev/null
    left=$(( left - chunk ))
done
# The worker needs a pipelines directory even for no-op jobs: the repository's examples (run from its root).
"$bin" worker --database-url "$url" --pipelines "${SEALPRESS_PIPELINES:-Pipelines}" --exit-when-idle --idle-wait 0s --log-level warning 2>"$home/worker.log" &
worker=$!
completed() { psql -X -At "$url" -c "SELECT count(*) FROM sealpress.jobs WHERE state = 'completed'" 2>/dev/null || echo 0; }
echo "jobs_completed,rss_kb" > "$csv"
samples="$home/samples.csv"
: > "$samples"
while kill -0 "$worker" 2>/dev/null; do
    rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$worker/status" 2>/dev/null || true)"
    [[ -z "$rss" ]] && break
    done_now="$(completed)"
    echo "$done_now,$rss" | tee -a "$samples" >> "$csv"
    sleep "$interval"
done
wait "$worker" || true
worker=""
final="$(completed)"
awk -F, -v warm=$(( jobs / 10 )) -v total="$jobs" -v final="$final" '
    $1 >= warm && first == "" { first = $2; firstJobs = $1 }
    { last = $2; lastJobs = $1; if ($2 > peak) peak = $2 }
    END {
        if (first == "") { print "too few samples (raise the job count or lower the interval)" > "/dev/stderr"; exit 1 }
        printf "completed %d of %d jobs; RSS after warm-up (%d jobs) %d KB, at the end (%d jobs) %d KB, peak %d KB: growth %.1f %%\n",
               final, total, firstJobs, first, lastJobs, last, peak, (last - first) * 100.0 / first > "/dev/stderr"
    }' "$samples"
