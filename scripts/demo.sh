#!/usr/bin/env bash
# make demo: the whole pipeline on an embedded PostgreSQL — demo PKI, a seal made, registered and granted, sample
# PDFs and OFDs stamped as one batch by two worker processes, exported, and a summary of the verdicts.
# Re-runnable: everything lives under .sealpress/demo and demo-out; a second run reuses what exists.
set -euo pipefail
bin="${1:?usage: scripts/demo.sh path/to/sealpress}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

export SEALPRESS_HOME="$root/.sealpress/demo"
export SEALPRESS_PIPELINES="$root/Pipelines"
unset DATABASE_URL PGHOST PGPORT PGDATABASE PGUSER || true
demo="$SEALPRESS_HOME"
pki="$demo/pki"
samples="$demo/samples"
out="$root/demo-out"
batch="${DEMO_BATCH:-demo-licences}"
mkdir -p "$demo"

step() { printf '\n==> %s\n' "$*"; }

step "embedded PostgreSQL under $SEALPRESS_HOME"
"$bin" db start
"$bin" migrate

step "demo PKI (SM2 root, seal maker, SM2 signer) in $pki"
[ -f "$pki/README.txt" ] || "$bin" keys demo-pki --out "$pki" >/dev/null
echo "ok: $(ls "$pki" | wc -l) files"

step "seals made by the seal maker (制章) and registered with their key references"
picture="$root/Tests/SealPipelineTests/Fixtures/seal-400.png"
make_seal() {  # name esid file
    [ -f "$3" ] && return 0
    "$bin" seal make --name "$1" --type 1 --esid "$2" --picture "$picture" --width-mm 40 --height-mm 40 \
        --signer-cert "$pki/sm2-signer.cert.pem" --maker-key "$pki/seal-maker.key.pem" \
        --maker-cert "$pki/seal-maker.cert.pem" --valid-from 2025-01-01 --valid-to 2030-12-31 --out "$3" >/dev/null
}
make_seal "演示市市场监督管理局" "DEMO-BUREAU-0001" "$demo/bureau.esl"
make_seal "演示海关报关专用章" "DEMO-CUSTOMS-0001" "$demo/customs.esl"
keyref="file:$pki/sm2-signer.key.pem?cert=$pki/sm2-signer.cert.pem"
register() {  # name esl owner
    local seals; seals="$("$bin" seal list --json)"   # captured, not piped into grep -q: SIGPIPE under pipefail
    if grep -q "\"name\" : \"$1\"" <<<"$seals"; then echo "ok: $1 already registered"; return 0; fi
    "$bin" seal register --name "$1" --esl "$2" --key-ref "$keyref" --owner "$3" --credit-code 11100000000000000X
    "$bin" seal grant "$1" --principal licence-office --to 2030-12-31 >/dev/null
}
register demo-bureau-official "$demo/bureau.esl" "演示市市场监督管理局"
register demo-customs-declaration "$demo/customs.esl" "演示海关"

step "sample documents (generated multi-page PDFs and OFDs, plus the OFD helloworld fixture)"
if [ ! -d "$samples" ]; then
    "$bin" pipeline samples --out "$samples/licences" --pdf 6 --ofd 3 --pages 2
    "$bin" pipeline samples --out "$samples/declarations" --pdf 3 --ofd 2 --pages 3
    cp "$root/Tests/SealPipelineTests/Fixtures/helloworld.ofd" "$samples/licences/helloworld.ofd"
fi

step "enqueue the batch (idempotent: documents already enqueued are not enqueued again)"
"$bin" enqueue stamp --pipeline business-licence --principal licence-office --batch "$batch" "$samples/licences"
"$bin" enqueue stamp --pipeline customs-declaration --principal licence-office --batch "$batch-customs" \
    "$samples/declarations"

step "two worker processes until the queue is empty"
"$bin" worker --exit-when-idle --concurrency 2 --id demo-worker-1 --trust "$pki/roots.pem" --log-level warning &
w1=$!
"$bin" worker --exit-when-idle --concurrency 2 --id demo-worker-2 --trust "$pki/roots.pem" --log-level warning &
w2=$!
wait "$w1" "$w2"
"$bin" status --batch "$batch" | tail -2

step "export and audit"
rm -rf "$out"
"$bin" export --batch "$batch" --out "$out/licences" || true
"$bin" export --batch "$batch-customs" --out "$out/declarations" || true
"$bin" audit verify

step "summary"
printf '%-28s %-10s %-10s %-13s %s\n' FILE KIND STATE VERDICT OUTPUT
for csv in "$out/licences/summary.csv" "$out/declarations/summary.csv"; do
    tail -n +2 "$csv" | while IFS=, read -r job kind file state verdict output report error; do
        printf '%-28s %-10s %-10s %-13s %s\n' "$file" "$kind" "$state" "$verdict" "${output:+$(dirname "$csv")/$output}"
    done
done
echo
echo "signed documents, reports and summary.csv: $out"
echo "usage log: SEALPRESS_HOME=$SEALPRESS_HOME $bin audit log"
"$bin" db stop >/dev/null
echo "(the embedded PostgreSQL is stopped again; commands above restart it on demand with SEALPRESS_HOME=$SEALPRESS_HOME)"
