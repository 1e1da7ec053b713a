#!/usr/bin/env bash
# Builds the libFuzzer target for the pipeline YAML loader (see Fuzz/common.sh for how):
#   Fuzz/Pipeline/build.sh   -> .build/fuzz/pipeline-fuzzer and the seed corpus .build/fuzz/pipeline-seeds
# SealPipeline as a whole needs PostgreSQL and the queue; only its Pipelines folder (loader, validation, the
# pipeline model) is compiled, as the module SealPipelineFuzzModule, over Yams built with the sanitizers (and
# SealQueue's duration parser alone).
# Seeds: the shipped pipelines (Pipelines/*.yaml) and Fuzz/Pipeline/seeds (every key and placement kind).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
engine_modules
yams_modules
# The loader reads `unique_within` with SealQueue's DurationText (Foundation only); the queue module itself needs
# PostgreSQL and NIO, so only that file is built, under the module name the loader imports.
module SealQueue "$root/Sources/SealQueue/Support/Duration+Parsing.swift"
module SealPipelineFuzzModule "$root/Sources/SealPipeline/Pipelines" "${yams_libs[@]}" -lSealQueue "${engine_libs[@]}"
link pipeline "$root/Fuzz/Pipeline/main.swift" -lSealPipelineFuzzModule -lSealQueue "${yams_libs[@]}" "${engine_libs[@]}"
seeds pipeline "$root"/Fuzz/Pipeline/seeds/* "$root"/Pipelines/*.yaml
