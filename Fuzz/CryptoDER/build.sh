#!/usr/bin/env bash
# Builds the libFuzzer target for SealCrypto's DER parsers (outside the SwiftPM build, so tests never need it).
#   Fuzz/CryptoDER/build.sh              -> .build/fuzz/crypto-der-fuzz (+ seed corpus .build/fuzz/crypto-der-corpus)
#   .build/fuzz/crypto-der-fuzz .build/fuzz/crypto-der-corpus -max_total_time=60 -rss_limit_mb=2048
# Needs: swift-asn1 checked out (`swift build --target SealCrypto` once), libssl-dev, and a toolchain with
# libFuzzer (the swift.org Linux toolchains have it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/.build/fuzz"
asn1="$root/.build/checkouts/swift-asn1/Sources/SwiftASN1"
[ -d "$asn1" ] || { echo "swift-asn1 not checked out: run 'swift build --target SealCrypto' first" >&2; exit 1; }
mkdir -p "$out/crypto"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6)
# 1. swift-asn1 as a static module with the same sanitizers.
mapfile -t asn1_sources < <(find "$asn1" -name '*.swift')
swiftc "${flags[@]}" -emit-library -static -emit-module -module-name SwiftASN1 \
  -emit-module-path "$out/crypto/SwiftASN1.swiftmodule" -o "$out/crypto/libSwiftASN1.a" "${asn1_sources[@]}"
# 2. SealCrypto and the entry point as one module, against the system OpenSSL through CSealSSL's module map.
mapfile -t crypto_sources < <(find "$root/Sources/SealCrypto" -name '*.swift')
swiftc "${flags[@]}" -module-name CryptoDERFuzz -I "$out/crypto" -I "$root/Sources/CSealSSL" -L "$out/crypto" \
  -lSwiftASN1 -lssl -lcrypto -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility \
  "${crypto_sources[@]}" "$root/Fuzz/CryptoDER/main.swift" -o "$out/crypto-der-fuzz" \
  2> >(grep -v "Cannot export local symbol" >&2)
# 3. A seed corpus: the real SignedData fixtures plus certificates, CRLs, CMS and tokens from a fresh demo PKI
#    are written by the tests' fixtures; here we take the checked-in DER fixtures.
mkdir -p "$out/crypto-der-corpus"
n=0
while IFS= read -r seed; do n=$((n + 1)); cp "$seed" "$out/crypto-der-corpus/seed-$n"; done \
  < <(find "$root/Tests/SealCryptoTests/Fixtures" -name '*.dat')
echo "built $out/crypto-der-fuzz"
