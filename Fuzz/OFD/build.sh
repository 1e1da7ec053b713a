#!/usr/bin/env bash
# Builds the libFuzzer target for the OFD engine (outside the SwiftPM build, so tests never need it).
#   Fuzz/OFD/build.sh              -> .build/fuzz/ofd-fuzz and a seed corpus .build/fuzz/ofd-corpus
#   .build/fuzz/ofd-fuzz .build/fuzz/ofd-corpus -max_total_time=300 -rss_limit_mb=2048
# Needs: swift-asn1 checked out (run `swift build --target SealOFD` once), OpenSSL 3 and zlib headers, and a
# toolchain with libFuzzer (the swift.org Linux toolchains have it).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
out="$root/.build/fuzz/ofd"
fuzz_setup "$out"
base_modules
module SealOFD "$root/Sources/SealOFD"
quiet swiftc "${flags[@]}" -module-name FuzzOFD "$root/Fuzz/OFD/main.swift" \
  -lSealOFD "${base_libs[@]}" -o "$out/ofd-fuzz"
# Seed corpus: the OFD fixtures (real signed documents from several vendors).
mkdir -p "$out/corpus"
for seed in "$root"/Tests/SealOFDTests/Fixtures/corpus/*.ofd; do cp "$seed" "$out/corpus/$(basename "$seed" | md5sum | cut -c1-12).ofd"; done
echo "built $out/ofd-fuzz; run: $out/ofd-fuzz $out/corpus -max_total_time=300"
