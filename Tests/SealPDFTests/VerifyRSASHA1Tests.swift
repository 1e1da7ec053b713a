import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing

@testable import SealPDF

/// `adbe.x509.rsa_sha1` signatures (a PKCS#1 v1.5 value in /Contents, the certificate in /Cert), made without
/// SealPress: the Python script below writes the PDF, computes the byte ranges and signs them with
/// `openssl dgst -sign`. poppler's pdfsig cannot be a second oracle: it reports "Unable to validate this type of
/// signature" for this SubFilter.
@Suite(.peer("python3 and openssl") { TestEnvironment.executable("python3") != nil && TestEnvironment.executable("openssl") != nil })
struct VerifyRSASHA1Tests {
    /// usage: python3 make.py OUTDIR sha1|sha256 → good.pdf, tampered.pdf (a byte of the first range changed),
    /// wrongkey.pdf (signed by another key than /Cert's), signer.pem.
    static let script = #"""
import subprocess, sys, os, time
# Writes an adbe.x509.rsa_sha1 signed PDF without SealPress: openssl makes the key, certificate and signature.
# usage: make.py OUTDIR DIGEST (sha1|sha256; cms-sha1: an adbe.pkcs7.detached CMS made by openssl cms -md sha1)
# (DIGEST-indirect: /Cert is an array holding a reference to the certificate string, as some producers write it)
out, digest = sys.argv[1], sys.argv[2]
indirect = digest.endswith("-indirect")
digest = digest[:-len("-indirect")] if indirect else digest
os.chdir(out)
def run(*args): subprocess.run(args, check=True, capture_output=True)
for name in ("signer", "other"):
    if not os.path.exists(name + ".key"):
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
            "-days", "3650", "-subj", "/CN=rsa_sha1 fixture " + name)
run("openssl", "x509", "-in", "signer.pem", "-outform", "DER", "-out", "signer.der")
cert = open("signer.der", "rb").read().hex().upper()
placeholder = b"[0 0000000000 0000000000 0000000000]"
reserve = 4096
subfilter = b"adbe.pkcs7.detached" if digest.startswith("cms-") else b"adbe.x509.rsa_sha1"
objects = [
    b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
    b"<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /F 132 /T (Signature1) /V 5 0 R /P 3 0 R >>",
    b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /" + subfilter + b" /M (" + time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime()).encode() + b") /Cert "
    + (b"[6 0 R]" if indirect else b"<" + cert.encode() + b">") + b" /ByteRange " + placeholder + b" /Contents <"
    + b"0" * (2 * reserve) + b"> >>",
]
if indirect: objects.append(b"<" + cert.encode() + b">")
pdf = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
offsets = []
for number, body in enumerate(objects, 1):
    offsets.append(len(pdf))
    pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
for offset in offsets: pdf += b"%010d 00000 n \n" % offset
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
start = pdf.index(b"/Contents <") + len(b"/Contents ")
end = start + 2 * reserve + 2
ranges = b"[0 %d %d %d]" % (start, end, len(pdf) - end)
ranges += b" " * (len(placeholder) - len(ranges))
at = pdf.index(placeholder)
pdf[at:at + len(placeholder)] = ranges
def sign(key, data):
    open("signed.bin", "wb").write(data)
    if digest.startswith("cms-"):
        run("openssl", "cms", "-sign", "-binary", "-md", digest[4:], "-signer", "signer.pem", "-inkey", key, "-nosmimecap",
            "-outform", "DER", "-in", "signed.bin", "-out", "cms.der")
        return open("cms.der", "rb").read()
    run("openssl", "dgst", "-" + digest, "-sign", key, "-out", "sig.bin", "signed.bin")
    value = open("sig.bin", "rb").read()
    return bytes([0x04, 0x82, len(value) >> 8, len(value) & 0xFF]) + value
def write(name, key):
    document = bytearray(pdf)
    value = sign(key, bytes(document[:start]) + bytes(document[end:])).hex().upper().encode()
    document[start + 1:start + 1 + len(value)] = value
    open(name, "wb").write(document)
    return document
good = write("good.pdf", "signer.key")
tampered = bytearray(good)
at = tampered.index(b"/MediaBox [0 0 200 200]")
tampered[at + 20] = ord("1")  # 200 200 -> 200 210: inside the first signed range
open("tampered.pdf", "wb").write(tampered)
if not digest.startswith("cms-"):
    write("wrongkey.pdf", "other.key")
"""#

    struct Fixture {
        let directory: URL
        func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: directory.appendingPathComponent(name))) }
        func signer() throws -> Certificate {
            try Certificate(pem: String(contentsOf: directory.appendingPathComponent("signer.pem"), encoding: .utf8))
        }
    }

    static func make(_ digest: String) throws -> Fixture {
        let directory = try TestEnvironment.temporaryDirectory("sealpress-rsa-sha1")
        let script = directory.appendingPathComponent("make.py")
        try Data(Self.script.utf8).write(to: script)
        let python = try #require(TestEnvironment.executable("python3"))
        let result = try TestEnvironment.run(python, [script.path, directory.path, digest])
        try #require(result.status == 0, "fixture script: \(result.stderr)")
        return Fixture(directory: directory)
    }

    static func verify(_ bytes: [UInt8], trusting root: Certificate) throws -> SignatureReport {
        let report = PDFVerifier.verify(bytes, options: PDFVerifyOptions(trust: TrustStore(roots: [root])))
        return try #require(report.signatures.first)
    }

    static func check(_ name: String, in signature: SignatureReport) -> Check? {
        signature.checks.first { $0.name == name }
    }

    @Test func sha1SignaturesAreReadVerifiedAndReportedAsWeak() throws {
        guard TestEnvironment.peerAvailable("python3 and openssl", TestEnvironment.executable("openssl") != nil) else { return }
        let fixture = try Self.make("sha1")
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let root = try fixture.signer()

        let good = try Self.verify(try fixture.bytes("good.pdf"), trusting: root)
        #expect(good.format == "pdf.x509.rsa_sha1")
        #expect(good.algorithm == "RSA-SHA1")
        #expect(good.signer == root.subject)
        #expect(Self.check("digest", in: good)?.status == .passed, "\(good.checks)")
        #expect(Self.check("signature", in: good)?.status == .passed, "\(good.checks)")
        #expect(Self.check("certificateChain", in: good)?.status == .passed, "\(good.checks)")
        // Integrity holds, but SHA-1 does not prove it: the policy of every SHA-1 signature.
        #expect(good.verdict.indication == .indeterminate, "\(good.checks)")
        #expect(Self.check("signatureAlgorithm", in: good)?.subIndication == .cryptoConstraintsFailure)

        let tampered = try Self.verify(try fixture.bytes("tampered.pdf"), trusting: root)
        #expect(tampered.verdict.indication == .failed, "\(tampered.checks)")
        #expect(Self.check("digest", in: tampered)?.subIndication == .hashFailure, "\(tampered.checks)")

        let wrongKey = try Self.verify(try fixture.bytes("wrongkey.pdf"), trusting: root)
        #expect(wrongKey.verdict.indication == .failed, "\(wrongKey.checks)")
        #expect(Self.check("signature", in: wrongKey)?.subIndication == .sigCryptoFailure, "\(wrongKey.checks)")
    }

    /// /Cert as an array of references to the certificate strings is read through them (it was ignored, and the
    /// signature called indeterminate for want of a certificate).
    @Test func aCertificateByReferenceIsRead() throws {
        guard TestEnvironment.peerAvailable("python3 and openssl", TestEnvironment.executable("openssl") != nil) else { return }
        let fixture = try Self.make("sha256-indirect")
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let root = try fixture.signer()
        let good = try Self.verify(try fixture.bytes("good.pdf"), trusting: root)
        #expect(good.signer == root.subject, "\(good.checks)")
        #expect(Self.check("signature", in: good)?.status == .passed, "\(good.checks)")
        #expect(good.verdict.indication == .passed, "\(good.checks)")
        let wrongKey = try Self.verify(try fixture.bytes("wrongkey.pdf"), trusting: root)
        #expect(Self.check("signature", in: wrongKey)?.subIndication == .sigCryptoFailure, "\(wrongKey.checks)")
    }

    /// Some producers put another hash in the DigestInfo: its own algorithm is used, and SHA-256 is not weak.
    @Test func theDigestInfoNamesTheHash() throws {
        guard TestEnvironment.peerAvailable("python3 and openssl", TestEnvironment.executable("openssl") != nil) else { return }
        let fixture = try Self.make("sha256")
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let root = try fixture.signer()
        let good = try Self.verify(try fixture.bytes("good.pdf"), trusting: root)
        #expect(good.algorithm == "RSA-SHA256")
        #expect(good.verdict.indication == .passed, "\(good.checks)")
        let tampered = try Self.verify(try fixture.bytes("tampered.pdf"), trusting: root)
        #expect(Self.check("digest", in: tampered)?.subIndication == .hashFailure, "\(tampered.checks)")
    }

    /// The same policy for a CMS (adbe.pkcs7.detached) signature whose digest is SHA-1, made by `openssl cms -md sha1`:
    /// integrity checked and reported, the verdict INDETERMINATE CRYPTO_CONSTRAINTS_FAILURE; tampered stays FAILED.
    @Test func cmsSHA1SignaturesAreWeakNotValid() throws {
        guard TestEnvironment.peerAvailable("python3 and openssl", TestEnvironment.executable("openssl") != nil) else { return }
        let fixture = try Self.make("cms-sha1")
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let root = try fixture.signer()
        let good = try Self.verify(try fixture.bytes("good.pdf"), trusting: root)
        #expect(good.format == "pdf.pkcs7")
        #expect(Self.check("digest", in: good)?.status == .passed, "\(good.checks)")
        #expect(Self.check("signature", in: good)?.status == .passed, "\(good.checks)")
        #expect(Self.check("certificateChain", in: good)?.status == .passed, "\(good.checks)")
        #expect(good.verdict.indication == .indeterminate, "\(good.checks)")
        #expect(good.verdict.subIndication == .cryptoConstraintsFailure, "\(good.checks)")
        let tampered = try Self.verify(try fixture.bytes("tampered.pdf"), trusting: root)
        #expect(tampered.verdict.indication == .failed, "\(tampered.checks)")
        #expect(Self.check("digest", in: tampered)?.subIndication == .hashFailure, "\(tampered.checks)")
        // poppler agrees on integrity (it does not judge SHA-1 weak, nor trust the self-signed signer).
        guard TestEnvironment.peerAvailable("pdfsig", TestEnvironment.executable("pdfsig") != nil),
            let pdfsig = TestEnvironment.executable("pdfsig")
        else { return }
        let genuine = try TestEnvironment.run(pdfsig, [fixture.directory.appendingPathComponent("good.pdf").path])
        #expect(genuine.stdout.contains("Signature is Valid"), "\(genuine.stdout)")
        let broken = try TestEnvironment.run(pdfsig, [fixture.directory.appendingPathComponent("tampered.pdf").path])
        #expect(broken.stdout.contains("Digest Mismatch"), "\(broken.stdout)")
    }
}
