#!/bin/sh
# Builds and runs Benchmarks/ofd/stamp-ratio.swift against this checkout's release objects without building the whole
# sealpress product: swift build -c release --scratch-path .build-rel --target SealOFD first.
# Usage: Benchmarks/ofd/stamp-ratio.sh FILE.ofd [rounds]   (STAMPONLY=1 skips the SM2 rounds, for perf)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
r="$root/.build-rel/x86_64-unknown-linux-gnu/release"
out="${TMPDIR:-/tmp}/sealpress-stamp-ratio"
swiftc -O "$root/Benchmarks/ofd/stamp-ratio.swift" -I "$r/Modules" \
  -Xcc -fmodule-map-file="$root/Sources/CSealSSL/module.modulemap" \
  -Xcc -fmodule-map-file="$root/Sources/CSealZlib/module.modulemap" \
  "$r"/SealOFD.build/*.o "$r"/ElectronicSeal.build/*.o "$r"/SealCrypto.build/*.o "$r"/SealReport.build/*.o \
  "$r"/SealCompression.build/*.o "$r"/SwiftASN1.build/*.o -lssl -lcrypto -lz -o "$out" 2>/dev/null
exec "$out" "$@"
