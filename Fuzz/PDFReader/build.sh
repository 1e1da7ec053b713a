#!/usr/bin/env bash
# Builds the libFuzzer target for the SealPDF reader (see Fuzz/common.sh for how):
#   Fuzz/PDFReader/build.sh   -> .build/fuzz/pdf-reader-fuzzer and the seed corpus .build/fuzz/pdf-reader-seeds
# Seeds: the PDF fixtures (every xref kind, object streams, filters, encryption, incremental updates) up to 128 KiB.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
engine_modules
link pdf-reader "$root/Fuzz/PDFReader/main.swift" "${engine_libs[@]}"
seeds pdf-reader $(find "$root/Tests/SealPDFTests/Fixtures" -name '*.pdf' -size -128k)
