#!/usr/bin/env bash
# Builds the libFuzzer target for the SealPDF text engine (content streams, fonts, CMaps) over the reader
# (see Fuzz/common.sh for how):
#   Fuzz/PDFText/build.sh   -> .build/fuzz/pdf-text-fuzzer and the seed corpus .build/fuzz/pdf-text-seeds
# Seeds: Fuzz/PDFText/seeds (content streams, CMaps) and the text fixtures' PDFs up to 64 KiB.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
engine_modules
link pdf-text "$root/Fuzz/PDFText/main.swift" "${engine_libs[@]}"
seeds pdf-text "$root"/Fuzz/PDFText/seeds/* $(find "$root/Tests/SealPDFTests/Fixtures" -name '*.pdf' -size -64k)
