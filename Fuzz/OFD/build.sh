#!/usr/bin/env bash
# Builds the libFuzzer target for the OFD engine (see Fuzz/common.sh for how):
#   Fuzz/OFD/build.sh   -> .build/fuzz/ofd-fuzzer and the seed corpus .build/fuzz/ofd-seeds
# Seeds: the OFD fixtures (real signed documents from several vendors) as whole packages, plus one structure-aware
# seed per entry of the small fixtures: [template index] [path] NUL [contents] (see Fuzz/OFD/main.swift).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
engine_modules
link ofd "$root/Fuzz/OFD/main.swift" "${engine_libs[@]}"
corpus="$root/Tests/SealOFDTests/Fixtures/corpus"
seeds ofd "$corpus"/*.ofd
# The templates: fixtures up to 40,000 bytes, in byte order of their names (as main.swift loads them).
index=0
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
while IFS= read -r name; do
  [ "$(stat -c %s "$corpus/$name")" -le 40000 ] || continue
  while IFS= read -r entry; do
    case "$entry" in */) continue ;; esac
    { printf "\\x$(printf %02x "$index")%s\\0" "$entry"; unzip -p "$corpus/$name" "$entry"; } > "$tmp/seed" 2>/dev/null || continue
    [ "$(stat -c %s "$tmp/seed")" -le 65536 ] && seeds ofd "$tmp/seed"
  done < <(unzip -Z1 "$corpus/$name" 2>/dev/null)
  index=$((index + 1))
done < <(cd "$corpus" && ls -1 -- *.ofd | LC_ALL=C sort)
