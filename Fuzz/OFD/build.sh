#!/usr/bin/env bash
# Builds the libFuzzer target for the OFD engine (outside the SwiftPM build, so tests never need it).
#   Fuzz/OFD/build.sh              -> .build/fuzz/ofd-fuzz and a seed corpus .build/fuzz/ofd-corpus
#   .build/fuzz/ofd-fuzz .build/fuzz/ofd-corpus -max_total_time=300 -rss_limit_mb=2048
# Needs: swift-asn1 checked out (run `swift build --target SealOFD` once), OpenSSL 3 and zlib headers, and a
# toolchain with libFuzzer (the swift.org Linux toolchains have it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/.build/fuzz/ofd"
asn1="$root/.build/checkouts/swift-asn1/Sources/SwiftASN1"
[ -d "$asn1" ] || { echo "swift-asn1 not checked out: run 'swift build --target SealOFD' first" >&2; exit 1; }
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -package-name SealPress
  -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
  -I "$out" -I "$root/Sources/CSealSSL" -I "$root/Sources/CSealZlib" -L "$out")
quiet() { "$@" 2> >(grep -v "Cannot export local symbol" >&2); }
module() {  # module NAME SOURCES_DIR [extra flags...]
  local name="$1" dir="$2"; shift 2
  mapfile -t sources < <(find "$dir" -name '*.swift')
  quiet swiftc "${flags[@]}" "$@" -emit-library -static -emit-module -module-name "$name" \
    -emit-module-path "$out/$name.swiftmodule" -o "$out/lib$name.a" "${sources[@]}"
}
module SwiftASN1 "$asn1"
module SealReport "$root/Sources/SealReport"
module SealCrypto "$root/Sources/SealCrypto" -lSwiftASN1
module ElectronicSeal "$root/Sources/ElectronicSeal" -lSwiftASN1 -lSealCrypto -lSealReport
module SealCompression "$root/Sources/SealCompression"
module SealOFD "$root/Sources/SealOFD"
quiet swiftc "${flags[@]}" -module-name FuzzOFD "$root/Fuzz/OFD/main.swift" \
  -lSealOFD -lSealCompression -lElectronicSeal -lSealCrypto -lSealReport -lSwiftASN1 -lssl -lcrypto -lz -o "$out/ofd-fuzz"
# Seed corpus: the OFD fixtures (real signed documents from several vendors).
mkdir -p "$out/corpus"
for seed in "$root"/Tests/SealOFDTests/Fixtures/corpus/*.ofd; do cp "$seed" "$out/corpus/$(basename "$seed" | md5sum | cut -c1-12).ofd"; done
echo "built $out/ofd-fuzz; run: $out/ofd-fuzz $out/corpus -max_total_time=300"
