#!/usr/bin/env python3
"""pyHanko peer harness for `sealpress bench verify` (PDF verification throughput, one process, one core).

Run as a careful batch user would: the trust roots are parsed ONCE and one ValidationContext (no fetching,
no revocation checking) serves every verification; each verification reads the document from the in-memory
bytes and calls `validate_pdf_signature` on every embedded signature with pyHanko's default difference
analysis (the same work `sealpress verify` does: digest, signature value, chain, modification analysis).

Usage: bench_pyhanko_verify.py --file F --roots R.pem [--seconds S] [--json]
Prints verifications/s (wall and per CPU-second of the process) and p50 latency (ms); `--json` prints one
JSON object with `valid` saying whether pyHanko found every signature intact and trusted.
"""
import argparse, io, json, statistics, sys, time

from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def load_roots(path):
    data = open(path, 'rb').read()
    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--file', required=True)
    ap.add_argument('--roots', required=True)
    ap.add_argument('--seconds', type=float, default=5.0)
    ap.add_argument('--json', action='store_true')
    args = ap.parse_args()

    data = open(args.file, 'rb').read()
    roots = load_roots(args.roots)
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode='soft-fail')

    def one():
        reader = PdfFileReader(io.BytesIO(data))
        statuses = [validate_pdf_signature(sig, context) for sig in reader.embedded_signatures]
        if not statuses:
            raise SystemExit('the document carries no signature')
        return all(s.intact and s.valid and s.trusted for s in statuses)

    valid = one()  # warm-up and check
    latencies = []
    cpu_start = time.process_time()
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds or not latencies:
        t0 = time.perf_counter()
        one()
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    latencies.sort()
    result = {
        'tool': 'pyhanko', 'file': args.file, 'valid': valid, 'verifications': len(latencies),
        'seconds': round(elapsed, 3), 'verificationsPerSecond': round(len(latencies) / elapsed, 2),
        'cpuSeconds': round(cpu, 3), 'verificationsPerCPUSecond': round(len(latencies) / max(cpu, 1e-9), 2),
        'p50ms': round(statistics.median(latencies) * 1000, 3),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"pyHanko validate_pdf_signature: {result['verificationsPerSecond']} verifications/s "
              f"({result['verificationsPerCPUSecond']} per CPU-second), p50 {result['p50ms']} ms, valid: {valid}")


if __name__ == '__main__':
    sys.exit(main())
