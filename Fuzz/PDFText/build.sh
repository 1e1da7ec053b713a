#!/usr/bin/env bash
# Builds the libFuzzer binary for the SealPDF text engine (content streams, fonts, CMaps) over the reader
# (see Fuzz/common.sh for how).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
out="${1:-$root/.build/fuzz}"
fuzz_setup "$out/pdf-modules"
base_modules
sources=$(find "$root/Sources/SealPDF" -name '*.swift')  # the whole engine: the reader's writer uses stamp errors
quiet swiftc "${flags[@]}" -module-name SealPDFTextFuzz $sources "$root/Fuzz/PDFText/main.swift" \
  "${base_libs[@]}" -o "$out/pdf-text-fuzzer"
echo "$out/pdf-text-fuzzer"
