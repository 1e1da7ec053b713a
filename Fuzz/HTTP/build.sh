#!/usr/bin/env bash
# Builds the libFuzzer target for SealHTTP's message reader (see Fuzz/common.sh for how):
#   Fuzz/HTTP/build.sh   -> .build/fuzz/http-fuzzer and the seed corpus .build/fuzz/http-seeds (Fuzz/HTTP/seeds)
set -euo pipefail
source "$(dirname "$0")/../common.sh"
module SealHTTP "$root/Sources/SealHTTP"
link http "$root/Fuzz/HTTP/main.swift" -lSealHTTP
seeds http "$root"/Fuzz/HTTP/seeds/*
