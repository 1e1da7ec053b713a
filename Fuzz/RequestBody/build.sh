#!/usr/bin/env bash
# Builds the libFuzzer target for our decoding of request (and answer) bodies of the services (see Fuzz/common.sh):
#   Fuzz/RequestBody/build.sh   -> .build/fuzz/request-body-fuzzer and the seed corpus .build/fuzz/request-body-seeds
# The HTTP parsing of `serve`, `keys serve` and the console is Hummingbird's (a kept library, NIO); what is ours is
# compiled without NIO: the remote signing protocol's JSON messages and their checks (Sources/SealRemoteSigner/
# Protocol + RemoteSignerError.swift, as the module SealRemoteSignerFuzzModule) and the console's form decoding
# (Sources/SealConsole/Routes/FormData.swift + ConsoleError.swift, as SealConsoleFuzzModule). `serve` takes no
# request bodies (GET only). Only SwiftASN1 and SealCrypto are built under them.
# Seeds: Fuzz/RequestBody/seeds (each starts with the selector byte main.swift documents).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
crypto_modules
module SealRemoteSignerFuzzModule \
  "$root/Sources/SealRemoteSigner/Protocol:$root/Sources/SealRemoteSigner/RemoteSignerError.swift" "${crypto_libs[@]}"
module SealConsoleFuzzModule "$root/Sources/SealConsole/Routes/FormData.swift:$root/Sources/SealConsole/ConsoleError.swift"
link request-body "$root/Fuzz/RequestBody/main.swift" -lSealRemoteSignerFuzzModule -lSealConsoleFuzzModule "${crypto_libs[@]}"
seeds request-body "$root"/Fuzz/RequestBody/seeds/*
