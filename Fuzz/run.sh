#!/usr/bin/env bash
# Builds and runs the libFuzzer targets, one after the other, at the lowest CPU priority.
#   Fuzz/run.sh SECONDS [TARGET...]     (no TARGET: all of them; `make fuzz FUZZ_SECONDS=N TARGET=name`)
# Per target: the checked-in crash regressions (Fuzz/<Dir>/regressions) are replayed first, then the fuzzer runs
# for SECONDS over its working corpus .build/fuzz/<name>-corpus (grows, never committed) and the seeds. Logs go to
# .build/fuzz/logs/<name>.log, crashing inputs to .build/fuzz/artifacts/<name>-crash-*. Exit status 1 when a
# target crashed or did not build.
set -uo pipefail
export SWIFT_BACKTRACE=enable=no   # libFuzzer and ASan report crashes; the Swift backtracer only slows them down
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build/fuzz"
seconds="${1:?usage: Fuzz/run.sh SECONDS [TARGET...]}"; shift
# name:directory:max_len:dictionary
all=(
  pdf-reader:PDFReader:131072:pdf.dict
  pdf-text:PDFText:65536:text.dict
  ofd:OFD:131072:ofd.dict
  crypto-der:CryptoDER:16384:der.dict
  seal-der:SealDER:32768:der.dict
  image:Image:65536:image.dict
  pipeline:Pipeline:8192:yaml.dict
  request-body:RequestBody:16384:body.dict
)
names() { for t in "${all[@]}"; do printf '%s ' "${t%%:*}"; done; }
selected=("$@")
[ ${#selected[@]} -gt 0 ] || read -ra selected <<< "$(names)"
mkdir -p "$out/logs" "$out/artifacts"
status=0
for name in "${selected[@]}"; do
  spec=""
  for t in "${all[@]}"; do [ "${t%%:*}" = "$name" ] && spec="$t"; done
  [ -n "$spec" ] || { echo "unknown fuzz target '$name' (known: $(names))" >&2; exit 2; }
  IFS=: read -r _ dir maxlen dict <<< "$spec"
  echo "==> $name: build"
  if ! bash "$root/Fuzz/$dir/build.sh" > "$out/logs/$name.build.log" 2>&1; then
    echo "    build failed, see $out/logs/$name.build.log" >&2; tail -20 "$out/logs/$name.build.log" >&2; status=1; continue
  fi
  fuzzer="$out/$name-fuzzer"
  # -timeout is wall-clock time: at nice 19 on a machine shared with other builds a 10 ms input can wait for
  # seconds, so only an input running for FUZZ_TIMEOUT (default 120 s) counts as a hang.
  options=(-max_len="$maxlen" -timeout="${FUZZ_TIMEOUT:-120}" -rss_limit_mb=2048 -artifact_prefix="$out/artifacts/$name-"
    -dict="$root/Fuzz/$dir/$dict" -print_final_stats=1)
  regressions=("$root/Fuzz/$dir/regressions"/*)
  if [ -e "${regressions[0]}" ]; then
    echo "==> $name: replay ${#regressions[@]} regression inputs"
    if ! nice -n 19 "$fuzzer" "${options[@]}" "${regressions[@]}" > "$out/logs/$name.regressions.log" 2>&1; then
      echo "    a regression input crashes again, see $out/logs/$name.regressions.log" >&2; status=1; continue
    fi
  fi
  mkdir -p "$out/$name-corpus"
  echo "==> $name: fuzz ${seconds}s (log $out/logs/$name.log)"
  nice -n 19 "$fuzzer" "${options[@]}" -max_total_time="$seconds" "$out/$name-corpus" "$out/$name-seeds" \
    > "$out/logs/$name.log" 2>&1
  code=$?
  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$out/logs/$name.log" | tr '\n' ' '
  grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$out/logs/$name.log" | tail -1 | sed 's/^/    /'
  if [ $code -ne 0 ]; then
    echo "    CRASH (exit $code): $(grep -m1 -E 'ERROR:|Fatal error|deadly signal' "$out/logs/$name.log")" >&2
    ls -1 "$out/artifacts/$name-"* 2>/dev/null | tail -3 >&2
    status=1
  fi
done
exit $status
