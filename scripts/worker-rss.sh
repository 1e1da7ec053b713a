#!/usr/bin/env bash
# A worker's memory over many jobs: one `sealpress worker` process burns down N jobs on a private embedded cluster
# while its RSS (VmRSS in /proc/PID/status) is sampled with the number of completed jobs. Prints the samples as CSV
# (jobs_completed,rss_kb) and the growth from the first sample after warm-up (10 % of the jobs) to the last.
#
#   scripts/worker-rss.sh [jobs] [interval_seconds] [sealpress binary] [csv file] [noop|stamp]
#
# noop (default): N no-op jobs. stamp: N real PDF stamps through the business-licence pipeline with a demo PKI and
# seal (made, registered and granted as `make demo` does), on 100 generated 2-page sample PDFs, verified after signing.
#
# Examples: scripts/worker-rss.sh 100000 1 .build/release/sealpress /tmp/rss-noop.csv
#           scripts/worker-rss.sh 10000 1 .build/release/sealpress /tmp/rss-stamp.csv stamp
set -euo pipefail
jobs="${1:-100000}"
interval="${2:-1}"
bin="${3:-.build/release/sealpress}"
csv="${4:-/dev/stdout}"
kind="${5:-noop}"
[[ "$kind" == noop || "$kind" == stamp ]] || { echo "kind must be noop or stamp, not $kind" >&2; exit 64; }
root="$(cd "$(dirname "$0")/.." && pwd)"
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
worker_args=()
if [[ "$kind" == noop ]]; then
    left="$jobs"
    while (( left > 0 )); do
        chunk=$(( left < 50000 ? left : 50000 ))
        "$bin" enqueue --database-url "$url" --kind noop --count "$chunk" >/dev/null
        left=$(( left - chunk ))
    done
else
    # As scripts/demo.sh: demo PKI, a seal made by the seal maker, registered with its key reference and granted.
    pki="$home/pki"
    "$bin" keys demo-pki --out "$pki" >/dev/null
    "$bin" seal make --name "演示市市场监督管理局" --type 1 --esid RSS-BUREAU-0001 \
        --picture "$root/Tests/SealPipelineTests/Fixtures/seal-400.png" --width-mm 40 --height-mm 40 \
        --signer-cert "$pki/sm2-signer.cert.pem" --maker-key "$pki/seal-maker.key.pem" \
        --maker-cert "$pki/seal-maker.cert.pem" --valid-from 2025-01-01 --valid-to 2030-12-31 --out "$home/bureau.esl" >/dev/null
    "$bin" seal register --database-url "$url" --name demo-bureau-official --esl "$home/bureau.esl" \
        --key-ref "file:$pki/sm2-signer.key.pem?cert=$pki/sm2-signer.cert.pem" --owner "演示市市场监督管理局" >/dev/null
    "$bin" seal grant demo-bureau-official --database-url "$url" --principal licence-office --to 2030-12-31 >/dev/null
    "$bin" pipeline samples --out "$home/samples" --pdf 100 --ofd 0 --pages 2 >/dev/null
    samples=("$home"/samples/*.pdf)
    args='{"pipeline": "business-licence", "principal": "licence-office"}'
    left="$jobs"
    while (( left > 0 )); do
        files=()
        while (( ${#files[@]} < 1000 && ${#files[@]} < left )); do
            files+=("${samples[@]:0:$(( left - ${#files[@]} < ${#samples[@]} ? left - ${#files[@]} : ${#samples[@]} ))}")
        done
        "$bin" enqueue --database-url "$url" --kind stamp --args "$args" --pipelines "$root/Pipelines" "${files[@]}" >/dev/null
        left=$(( left - ${#files[@]} ))
    done
    worker_args=(--trust "$pki/roots.pem")
fi
# The worker needs a pipelines directory even for no-op jobs: the repository's examples.
"$bin" worker --database-url "$url" --pipelines "${SEALPRESS_PIPELINES:-$root/Pipelines}" "${worker_args[@]}" \
    --exit-when-idle --idle-wait 0s --log-level warning 2>"$home/worker.log" &
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
