#!/usr/bin/env bash
# Builds the libFuzzer binary for the SealPDF text engine (content streams, fonts, CMaps): the reader sources compiled directly with
# -sanitize=fuzzer,address (SwiftPM cannot add the fuzzer runtime to one product only), over static builds of
# the modules they import (SealCompression for zlib, SealCrypto for the security handler's primitives).
# Needs: swift-asn1 checked out (run `swift build --target SealCrypto` once), OpenSSL 3 and zlib headers.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/.build/fuzz}"
lib="$out/pdf-modules"
asn1="$root/.build/checkouts/swift-asn1/Sources/SwiftASN1"
[ -d "$asn1" ] || { echo "swift-asn1 not checked out: run 'swift build --target SealCrypto' first" >&2; exit 1; }
mkdir -p "$lib"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -package-name SealPress
  -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
  -I "$lib" -I "$root/Sources/CSealZlib" -I "$root/Sources/CSealSSL" -L "$lib")
quiet() { "$@" 2> >(grep -v "Cannot export local symbol" >&2); }
module() {  # module NAME SOURCES_DIR [extra flags...]
  local name="$1" dir="$2"; shift 2
  mapfile -t sources < <(find "$dir" -name '*.swift')
  quiet swiftc "${flags[@]}" "$@" -emit-library -static -emit-module -module-name "$name" \
    -emit-module-path "$lib/$name.swiftmodule" -o "$lib/lib$name.a" "${sources[@]}"
}
module SwiftASN1 "$asn1"
module SealHTTP "$root/Sources/SealHTTP"
module SealCompression "$root/Sources/SealCompression"
module SealCrypto "$root/Sources/SealCrypto" -lSwiftASN1 -lSealHTTP
sources=$(find "$root/Sources/SealPDF/Model" "$root/Sources/SealPDF/Reader" "$root/Sources/SealPDF/Filters" \
  "$root/Sources/SealPDF/Encryption" "$root/Sources/SealPDF/Writer" "$root/Sources/SealPDF/Text" -name '*.swift')
quiet swiftc "${flags[@]}" -module-name SealPDFTextFuzz \
  $sources "$root/Fuzz/PDFText/main.swift" \
  -lSealCrypto -lSealCompression -lSealHTTP -lSwiftASN1 -lz -lssl -lcrypto -o "$out/pdf-text-fuzzer"
echo "$out/pdf-text-fuzzer"
