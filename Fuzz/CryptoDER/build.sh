#!/usr/bin/env bash
# Builds the libFuzzer target for SealCrypto's DER/PEM parsers (see Fuzz/common.sh for how):
#   Fuzz/CryptoDER/build.sh   -> .build/fuzz/crypto-der-fuzzer and the seed corpus .build/fuzz/crypto-der-seeds
# Seeds: the DER fixtures of SealCrypto's tests (CMS SignedData from several vendors, certificates, tokens).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
base_modules
link crypto-der "$root/Fuzz/CryptoDER/main.swift" "${base_libs[@]}"
seeds crypto-der $(find "$root/Tests/SealCryptoTests/Fixtures" "$root/Tests/ElectronicSealTests/Fixtures" -type f \
  \( -name '*.dat' -o -name '*.der' -o -name '*.cer' -o -name '*.crt' -o -name '*.crl' -o -name '*.tsr' -o -name '*.p7s' -o -name '*.pem' \) -size -256k)
