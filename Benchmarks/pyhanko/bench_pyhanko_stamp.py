#!/usr/bin/env python3
"""pyHanko peer harness for `sealpress bench stamp` (PDF stamping throughput, one process, one core).

Tuned as a careful batch user would run pyHanko (the number to beat):
  * the private key is parsed ONCE (SimpleSigner subclass caching the `cryptography` key object; stock
    SimpleSigner re-parses it on every signature),
  * a fixed /Contents reservation (`bytes_reserved=16384`) so no dry-run signature is made,
  * input bytes held in memory, output to BytesIO, PAdES B-B (ETSI.CAdES.detached), RSA-2048 + SHA-256.
`--visible` draws the PNG seal as the stamp background (needs Pillow: pyHanko[image-support]).

Usage: bench_pyhanko_stamp.py --file F --key K.pem --cert C.pem [--image seal.png] [--visible]
                              [--seconds S] [--json]
Prints docs/s (wall and per CPU-second of the process) and p50/p99 latency (ms); `--json` prints one JSON object.
"""
import argparse, io, json, statistics, sys, time

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash


class CachedKeySigner(signers.SimpleSigner):
    """SimpleSigner that parses its private key once instead of once per signature."""

    _cached = None

    def sign_raw(self, data, digest_algorithm):
        if self._cached is None:
            self._cached = serialization.load_der_private_key(self.signing_key.dump(), password=None)
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism == 'ecdsa':
            return self._cached.sign(data, signature_algorithm=ECDSA(hash_algo))
        return self._cached.sign(data, PKCS1v15(), hash_algo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--file', required=True)
    ap.add_argument('--key', required=True)
    ap.add_argument('--cert', required=True)
    ap.add_argument('--image')
    ap.add_argument('--visible', action='store_true')
    ap.add_argument('--seconds', type=float, default=5.0)
    ap.add_argument('--json', action='store_true')
    ap.add_argument('--out', help='write the last signed output here (for checking)')
    args = ap.parse_args()

    data = open(args.file, 'rb').read()
    # SimpleSigner.load returns a plain SimpleSigner: rebuild it as the caching subclass.
    base = signers.SimpleSigner.load(args.key, args.cert)
    signer = CachedKeySigner(
        signing_cert=base.signing_cert, signing_key=base.signing_key, cert_registry=base.cert_registry)
    meta = signers.PdfSignatureMetadata(field_name='Seal1', subfilter=fields.SigSeedSubFilter.PADES)
    style = None
    spec = None
    if args.visible:
        from pyhanko.pdf_utils.images import PdfImage
        from pyhanko.stamp import TextStampStyle
        from pyhanko.pdf_utils.layout import SimpleBoxLayoutRule, AxisAlignment, Margins
        style = TextStampStyle(stamp_text='', background=PdfImage(args.image), border_width=0,
                               background_opacity=1)
        spec = fields.SigFieldSpec('Seal1', on_page=-1, box=(340, 113, 453, 226))  # 40 mm square
    pdf_signer = signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=spec)

    def one():
        w = IncrementalPdfFileWriter(io.BytesIO(data))
        out = io.BytesIO()
        pdf_signer.sign_pdf(w, output=out, bytes_reserved=16384)
        return out

    one()  # warm-up
    latencies = []
    last = None
    cpu_start = time.process_time()
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        t0 = time.perf_counter()
        last = one()
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    if args.out and last is not None:
        open(args.out, 'wb').write(last.getvalue())
    latencies.sort()
    result = {
        'tool': 'pyhanko-tuned', 'file': args.file, 'visible': args.visible, 'docs': len(latencies),
        'seconds': round(elapsed, 3), 'docsPerSecond': round(len(latencies) / elapsed, 2),
        'cpuSeconds': round(cpu, 3), 'docsPerCPUSecond': round(len(latencies) / cpu, 2),
        'p50ms': round(statistics.median(latencies) * 1000, 3),
        'p99ms': round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 3),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"pyHanko tuned: {result['docsPerSecond']} docs/s, p50 {result['p50ms']} ms, p99 {result['p99ms']} ms "
              f"({result['docs']} docs in {result['seconds']} s)")


if __name__ == '__main__':
    sys.exit(main())
