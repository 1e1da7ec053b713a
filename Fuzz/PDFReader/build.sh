#!/usr/bin/env bash
# Builds the libFuzzer binary for the SealPDF reader: the reader sources compiled directly with
# -sanitize=fuzzer,address (SwiftPM cannot add the fuzzer runtime to one product only).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/.build/fuzz}"
mkdir -p "$out"
sources=$(find "$root/Sources/SealPDF/Model" "$root/Sources/SealPDF/Reader" "$root/Sources/SealPDF/Filters" \
  "$root/Sources/SealPDF/Encryption" "$root/Sources/SealPDF/Writer" -name '*.swift')
swiftc -parse-as-library -sanitize=fuzzer,address -O -g \
  -module-name SealPDFFuzz \
  -I "$root/Sources/CSealZlib" -I "$root/Sources/CSealSSL" \
  $sources "$root/Fuzz/PDFReader/main.swift" \
  -lz -lcrypto -o "$out/pdf-reader-fuzzer" 2> >(grep -v "Cannot export local symbol" >&2)
echo "$out/pdf-reader-fuzzer"
