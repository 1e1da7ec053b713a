#!/usr/bin/env bash
# make smoke: runs a release binary the way the Docker image does — version, help, the SM2/SM3 self-test, a demo PKI,
# a seal, stamp + verify of a PDF — and checks it links only the C libraries the runtime image installs.
# Usage: Docker/smoke.sh path/to/sealpress
set -euo pipefail
bin="${1:?usage: Docker/smoke.sh path/to/sealpress}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
step() { printf '==> %s\n' "$*"; }

step "version";    "$bin" version
step "help";       "$bin" --help >"$work/help.txt" && head -3 "$work/help.txt"   # not piped: head closing early is SIGPIPE under pipefail
step "self-test";  "$bin" self-test
step "demo PKI";   "$bin" keys demo-pki --out "$work/pki" >/dev/null && ls "$work/pki" | tr '\n' ' ' && echo
step "seal";       "$bin" seal make --name "冒烟测试章" --type 1 --esid SMOKE-0001 \
    --picture "$root/Tests/SealPipelineTests/Fixtures/seal-400.png" --width-mm 40 --height-mm 40 \
    --signer-cert "$work/pki/sm2-signer.cert.pem" --maker-key "$work/pki/seal-maker.key.pem" \
    --maker-cert "$work/pki/seal-maker.cert.pem" --valid-from 2025-01-01 --valid-to 2035-12-31 \
    --out "$work/smoke.esl" >/dev/null && echo "ok"
input="$root/Tests/SealPDFTests/Fixtures/corpus/pdfjs-tracemonkey.pdf"
for format in sm2 ses pades-b-b; do
    step "stamp + verify ($format)"
    "$bin" stamp "$input" "$work/out-$format.pdf" --seal "$work/smoke.esl" --key "$work/pki/sm2-signer.key.pem" \
        --cert "$work/pki/sm2-signer.cert.pem" --page 1 --x-mm 120 --y-mm 40 --format "$format" >/dev/null
    "$bin" verify "$work/out-$format.pdf" --trust "$work/pki/sm2-root.cert.pem"
done

step "linked libraries (runtime image: libssl3 libpq5 zlib1g + glibc)"
# Direct dependencies (NEEDED) must be only what the runtime image installs; ldd must resolve everything and show
# no Swift runtime library (the standard library and Foundation are linked statically).
needed="$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
echo "NEEDED: $(echo "$needed" | tr '\n' ' ')"
unexpected="$(echo "$needed" | grep -vE '^(libc|libm|libdl|libpthread|librt|libutil|libgcc_s|libstdc\+\+|ld-linux-x86-64|ld-linux-aarch64|libssl|libcrypto|libpq|libz)\.so' || true)"
if [ -n "$unexpected" ]; then
    echo "FAIL: linked libraries the runtime image does not install:"; echo "$unexpected"; exit 1
fi
if ldd "$bin" | grep -E 'not found|libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime'; then
    echo "FAIL: unresolved or Swift runtime libraries (build with --static-swift-stdlib)"; exit 1
fi
echo "smoke test passed"
