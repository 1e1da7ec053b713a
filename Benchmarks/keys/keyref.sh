#!/usr/bin/env bash
# Side-by-side stamping figures for the three kinds of key reference (issue 17): the same RSA-2048 key as a file,
# in a SoftHSM2 token (PKCS#11) and behind `sealpress keys serve` (mutual TLS on loopback), each timed by
# `sealpress bench stamp --key-ref` on one thread, interleaved ROUNDS times.
# Usage: Benchmarks/keys/keyref.sh [PDF] [SECONDS] [ROUNDS]   (SEALPRESS=path to the binary, default .build/release/sealpress)
# Needs: openssl, softhsm2 (softhsm2-util, libsofthsm2.so), opensc (pkcs11-tool), python3.
set -euo pipefail
pdf="${1:-../shared/corpus/bench/doc100k.pdf}"
seconds="${2:-5}"
rounds="${3:-3}"
bin="${SEALPRESS:-.build/release/sealpress}"
[ -x "$bin" ] || { echo "no $bin: swift build -c release --product sealpress" >&2; exit 3; }
[ -f "$pdf" ] || { echo "no $pdf" >&2; exit 3; }
pdf="$(readlink -f "$pdf")"; bin="$(readlink -f "$bin")"
module=""
for candidate in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so; do
  [ -f "$candidate" ] && module="$candidate" && break
done
[ -n "$module" ] || { echo "SoftHSM2 not installed (apt-get install softhsm2 opensc)" >&2; exit 3; }

work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
quiet() { "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; "$@"; exit 3; }; }

# The signing key and its certificate (one key for all three kinds).
quiet openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout rsa.key.pem -out rsa.cert.pem -subj "/CN=Bench seal RSA"
quiet openssl pkcs8 -topk8 -nocrypt -in rsa.key.pem -out rsa.pk8.pem
quiet openssl x509 -in rsa.cert.pem -outform DER -out rsa.cert.der

# A SoftHSM2 token holding it (PIN in a file, never in argv of the bench).
mkdir -p tokens
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\n' "$work" > softhsm2.conf
export SOFTHSM2_CONF="$work/softhsm2.conf"
quiet softhsm2-util --init-token --free --label bench --so-pin 5678 --pin 1234
quiet softhsm2-util --import rsa.pk8.pem --token bench --label rsa --id 01 --pin 1234
quiet pkcs11-tool --module "$module" --token-label bench --login --pin 1234 --write-object rsa.cert.der --type cert --id 01 --label rsa
printf '1234' > pin; chmod 600 pin

# The signing service on loopback with its own TLS material.
quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -keyout clients-ca.key -out clients-ca.pem -subj "/CN=Bench clients CA"
quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -keyout service-ca.key -out service-ca.pem -subj "/CN=Bench service CA"
quiet openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout service.key -out service.csr -subj "/CN=127.0.0.1"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > service.ext
quiet openssl x509 -req -in service.csr -CA service-ca.pem -CAkey service-ca.key -CAcreateserial -days 30 -extfile service.ext -out service.pem
quiet openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout worker.key -out worker.csr -subj "/CN=bench-worker"
printf 'extendedKeyUsage=clientAuth\n' > client.ext
quiet openssl x509 -req -in worker.csr -CA clients-ca.pem -CAkey clients-ca.key -CAcreateserial -days 30 -extfile client.ext -out worker.pem
printf '{"keys": {"rsa": "file:%s/rsa.key.pem?cert=%s/rsa.cert.pem"}, "clients": [{"subject-cn": "bench-worker", "keys": ["rsa"]}]}\n' "$work" "$work" > keys.json
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" keys serve --listen "127.0.0.1:$port" --tls-cert service.pem --tls-key service.key --client-ca clients-ca.pem \
  --keys keys.json --log keys.log > serve.out 2>&1 &
server=$!
for _ in $(seq 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && break
  sleep 0.1
done
export SEALPRESS_REMOTE_CLIENT_CERT="$work/worker.pem" SEALPRESS_REMOTE_CLIENT_KEY="$work/worker.key" SEALPRESS_REMOTE_CA="$work/service-ca.pem"

declare -A refs=(
  [file]="file:$work/rsa.key.pem?cert=$work/rsa.cert.pem"
  [pkcs11]="pkcs11:token=bench;object=rsa;type=private?module-path=$module&pin-source=file:$work/pin"
  [remote]="sealpress+https://127.0.0.1:$port/keys/rsa"
)
echo "# $(date -u +%FT%TZ) $(basename "$pdf") ($(stat -c %s "$pdf") bytes), RSA-2048 PAdES B-B, ${seconds}s per run, $rounds rounds, nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s %-5s %12s %14s %10s %10s\n' kind round docs/s docs/CPU-s p50-ms p99-ms
for round in $(seq "$rounds"); do
  for kind in file pkcs11 remote; do
    "$bin" bench stamp --file "$pdf" --key-ref "${refs[$kind]}" --seconds "$seconds" --json > "$kind-$round.json"
    python3 - "$kind" "$round" "$kind-$round.json" <<'PY'
import json, sys
kind, rnd, path = sys.argv[1:]
r = json.load(open(path))
print(f"{kind:<7} {rnd:<5} {r['docsPerSecond']:12.1f} {r.get('docsPerCPUSecond', 0):14.1f} {r['p50Milliseconds']:10.2f} {r['p99Milliseconds']:10.2f}")
PY
  done
done
python3 - "$rounds" <<'PY'
import json, sys, statistics
rounds = int(sys.argv[1])
med = {k: statistics.median(json.load(open(f"{k}-{r}.json"))["docsPerSecond"] for r in range(1, rounds + 1)) for k in ("file", "pkcs11", "remote")}
print(f"median docs/s: file {med['file']:.1f}, pkcs11 {med['pkcs11']:.1f} ({med['pkcs11']/med['file']:.2f} of file), remote {med['remote']:.1f} ({med['remote']/med['file']:.2f} of file; goal >= 0.50)")
PY
echo "signing-service requests logged: $(wc -l < keys.log)"
