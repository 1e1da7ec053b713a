#!/usr/bin/env bash
# Builds the libFuzzer target for the seal DER parsers, SESeal and SES_Signature (see Fuzz/common.sh for how):
#   Fuzz/SealDER/build.sh   -> .build/fuzz/seal-der-fuzzer and the seed corpus .build/fuzz/seal-der-seeds
# Seeds: the seals (.esl) and signed values (.dat) of the tests' fixtures.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
base_modules
link seal-der "$root/Fuzz/SealDER/main.swift" "${base_libs[@]}"
seeds seal-der $(find "$root/Tests" -path '*Fixtures*' -type f \( -name '*.esl' -o -name '*.dat' \))
