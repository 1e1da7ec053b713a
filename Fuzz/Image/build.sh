#!/usr/bin/env bash
# Builds the libFuzzer target for the seal picture decoders (see Fuzz/common.sh for how):
#   Fuzz/Image/build.sh   -> .build/fuzz/image-fuzzer and the seed corpus .build/fuzz/image-seeds
# Seeds: the PNG (every colour type, depth, tRNS, Adam7) and JPEG (RGB, Adobe CMYK) pictures of the tests.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
engine_modules
link image "$root/Fuzz/Image/main.swift" "${engine_libs[@]}"
seeds image $(find "$root/Tests" -path '*Fixtures*' -type f \( -name '*.png' -o -name '*.jpg' \) -size -64k)
