#!/usr/bin/env bash
# Builds the libFuzzer target for the seal DER parsers (outside the SwiftPM build, so tests never need it).
#   Fuzz/SealDER/build.sh            -> .build/fuzz/seal-der-fuzz
#   .build/fuzz/seal-der-fuzz .build/fuzz/seal-der-corpus -max_total_time=60
# Needs: swift-asn1 checked out (run `swift build --target ElectronicSeal` once) and a toolchain with libFuzzer
# (the swift.org Linux toolchains have it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/.build/fuzz"
asn1="$root/.build/checkouts/swift-asn1/Sources/SwiftASN1"
[ -d "$asn1" ] || { echo "swift-asn1 not checked out: run 'swift build --target ElectronicSeal' first" >&2; exit 1; }
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6)
# 1. swift-asn1 as a static module with the same sanitizers.
mapfile -t asn1_sources < <(find "$asn1" -name '*.swift')
swiftc "${flags[@]}" -emit-library -static -emit-module -module-name SwiftASN1 \
  -emit-module-path "$out/SwiftASN1.swiftmodule" -o "$out/libSwiftASN1.a" "${asn1_sources[@]}"
# 2. The seal parsers (ASN1/ and Errors/ only: no OpenSSL) and the entry point as one module.
mapfile -t seal_sources < <(find "$root/Sources/ElectronicSeal/ASN1" "$root/Sources/ElectronicSeal/Errors" -name '*.swift')
swiftc "${flags[@]}" -module-name SealDERFuzz -I "$out" -L "$out" -lSwiftASN1 \
  -enable-upcoming-feature ExistentialAny \
  "${seal_sources[@]}" "$root/Fuzz/SealDER/main.swift" -o "$out/seal-der-fuzz" \
  2> >(grep -v "Cannot export local symbol" >&2)
# 3. A seed corpus from the test fixtures.
mkdir -p "$out/seal-der-corpus"
n=0
while IFS= read -r seed; do n=$((n + 1)); cp "$seed" "$out/seal-der-corpus/seed-$n"; done \
  < <(find "$root/Tests/ElectronicSealTests/Fixtures" \( -name '*.esl' -o -name '*.dat' \))
echo "built $out/seal-der-fuzz"
