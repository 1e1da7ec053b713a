import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing

@testable import SealPDF

/// Signed PDFs whose CMS is BER with indefinite lengths (`30 80 … 00 00`, as several signing libraries write it)
/// are genuine: pdfsig calls them valid, and so must we — never "tampered".
@Suite struct VerifyBERTests {
    /// Re-encodes a DER ContentInfo the way streaming signers write BER (X.690 §8.1.3.6): ContentInfo, its [0],
    /// SignedData and each of its fields, and every SignerInfo in indefinite-length form; names, algorithm
    /// identifiers and certificates stay DER (their issuers signed the DER). With `signedAttributes`, the
    /// SignerInfo's [0] attributes are indefinite too: then the signature covers their DER re-encoding.
    static func indefinite(_ der: [UInt8], signedAttributes: Bool = false, path: [UInt8] = []) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < der.count {
            let tag = der[index]
            var cursor = index + 1
            let first = der[cursor]
            cursor += 1
            var length = Int(first)
            if first >= 0x80 {
                let count = Int(first & 0x7F)
                length = 0
                for offset in 0..<count { length = length << 8 | Int(der[cursor + offset]) }
                cursor += count
            }
            let content = Array(der[cursor..<(cursor + length)])
            let streamed = path.count < 4 || path == [0x30, 0xA0, 0x30, 0x31]
                || (signedAttributes && path == [0x30, 0xA0, 0x30, 0x31, 0x30] && tag == 0xA0)
            if tag & 0x20 != 0, streamed {
                out += [tag, 0x80] + indefinite(content, signedAttributes: signedAttributes, path: path + [tag]) + [0, 0]
            } else {
                out += der[index..<(cursor + length)]
            }
            index = cursor + length
        }
        return out
    }

    /// Removes the encapsulated content from an attached BER SignedData (ContentInfo → [0] → SignedData →
    /// encapContentInfo), leaving every other byte as the signer wrote it: a detached signature over the same data.
    static func detached(_ ber: [UInt8]) throws -> [UInt8] {
        // Walk the headers: 30 80 | 06 .. | A0 80 | 30 80 | version | digestAlgorithms | encapContentInfo
        func header(_ at: Int) -> Int { ber[at + 1] == 0x80 ? 2 : (ber[at + 1] < 0x80 ? 2 : 2 + Int(ber[at + 1] & 0x7F)) }
        func end(_ at: Int) throws -> Int { at + (try #require(EncodedLength.ofFirstElement(Array(ber[at...])))) }
        var at = header(0)              // into ContentInfo
        at = try end(at)                // past contentType
        at += header(at)                // into [0]
        at += header(at)                // into SignedData
        at = try end(at)                // past version
        at = try end(at)                // past digestAlgorithms
        let encapStart = at
        let encapEnd = try end(at)
        let typeStart = encapStart + header(encapStart)
        let typeEnd = try end(typeStart)
        let detachedEncap: [UInt8] = [0x30, 0x80] + Array(ber[typeStart..<typeEnd]) + [0, 0]
        return Array(ber[..<encapStart]) + detachedEncap + Array(ber[encapEnd...])
    }

    /// The signed file with its last signature's /Contents replaced (same reserved size, zero-padded).
    static func replacingContents(_ pdf: [UInt8], with signature: [UInt8]) throws -> [UInt8] {
        let text = String(decoding: pdf, as: UTF8.self)
        let pattern = try NSRegularExpression(pattern: #"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+(\d+)\s*\]"#)
        let match = try #require(pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).last)
        let start = Int((text as NSString).substring(with: match.range(at: 1)))!
        let end = Int((text as NSString).substring(with: match.range(at: 2)))!
        // The gap is `<hex>`: offsets are bytes, and everything before it is ASCII-safe to count in bytes.
        #expect(pdf[start] == UInt8(ascii: "<") && pdf[end - 1] == UInt8(ascii: ">"))
        let capacity = (end - start - 2) / 2
        try #require(signature.count <= capacity, "BER form needs \(signature.count) of \(capacity) reserved bytes")
        var hex = Array(Hex.string(signature).uppercased().utf8)
        hex += Array(repeating: UInt8(ascii: "0"), count: 2 * capacity - hex.count)
        var out = pdf
        out.replaceSubrange((start + 1)..<(end - 1), with: hex)
        return out
    }

    static func contents(_ pdf: [UInt8]) throws -> [UInt8] {
        let document = try PDFDocument(bytes: pdf)
        let fields = SignatureFieldLocator.signatureFields(document)
        let blob = try #require(fields.last?.signature["Contents"]?.stringValue?.bytes)
        return Array(blob.prefix(try #require(EncodedLength.ofFirstElement(blob))))
    }

    static let cases: [(String, PDFSignatureFormat, @Sendable () throws -> SoftwareSigner)] = [
        ("pades-b-b", .padesBB, SignFixtures.rsaSigner),
        ("pkcs7", .pkcs7, SignFixtures.ecdsaSigner),
        ("sm2", .sm2(), SignFixtures.sm2Signer),
    ]

    @Test(arguments: 0..<3)
    func berReencodingOfOurOwnSignaturesStillVerifies(_ index: Int) throws {
        let (name, format, signer) = Self.cases[index]
        let signed = try PDFStamper.stamp(
            try SignFixtures.corpus("sf-libreoffice-writer.pdf"), request: SignFixtures.request(try signer(), format: format))
        let der = try Self.contents(signed)
        let ber = Self.indefinite(der)
        #expect(ber[0] == 0x30 && ber[1] == 0x80 && ber != der, "\(name)")
        let reencoded = try Self.replacingContents(signed, with: ber)
        let report = PDFVerifier.verify(reencoded, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
        #expect(report.indication == .passed, "\(name): \(report.signatures.map(\.checks))")
        // The tolerant read is said, never silent; our own DER output has no quirk.
        #expect(report.signatures.first?.quirks.contains { $0.contains("BER-encoded with indefinite lengths") } == true, "\(name)")
        #expect(PDFVerifier.verify(signed).signatures.first?.quirks == [], "\(name)")
        // BER signed attributes: RFC 5652 §5.4 signs their DER, which the verifier must rebuild.
        let berAttributes = Self.indefinite(der, signedAttributes: true)
        #expect(berAttributes != ber)
        let withBERAttributes = try Self.replacingContents(signed, with: berAttributes)
        let attributesReport = PDFVerifier.verify(withBERAttributes, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
        #expect(attributesReport.indication == .passed, "\(name): \(attributesReport.signatures.map(\.checks))")

        // A BER signature is still checked: a changed byte in the signed part fails it.
        var tampered = reencoded
        tampered[300] ^= 0x01
        #expect(PDFVerifier.verify(tampered).indication == .failed, "\(name)")

        // pdfsig (NSS) is the independent judge of the BER form (it has no SM2).
        if name != "sm2", TestEnvironment.peerAvailable("pdfsig", PDFPeers.pdfsig != nil) {
            let output = try PDFPeers.pdfsigOutput(try SignFixtures.write(reencoded, name: "ber-\(name).pdf"))
            #expect(output.contains("Signature is Valid"), "\(name): \(output)")
        }
    }

    /// `openssl cms -sign -stream` writes indefinite-length BER itself: a CMS made by a signer that is not ours
    /// (attached; the test detaches it by removing the content, the way a PDF carries it).
    @Test(.peerExecutable("openssl")) func opensslStreamedBERSignatureVerifies() throws {
        guard TestEnvironment.peerAvailable("openssl CLI", TestEnvironment.executable("openssl") != nil),
            let openssl = TestEnvironment.executable("openssl")
        else { return }
        let signed = try PDFStamper.stamp(
            try SignFixtures.corpus("sf-libreoffice-writer.pdf"), request: SignFixtures.request(try SignFixtures.rsaSigner(), format: .pkcs7))
        let directory = try TestEnvironment.temporaryDirectory("sealpress-ber")
        defer { try? FileManager.default.removeItem(at: directory) }
        // The bytes the /ByteRange covers.
        let text = String(decoding: signed, as: UTF8.self)
        let pattern = try NSRegularExpression(pattern: #"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+(\d+)\s*\]"#)
        let match = try #require(pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).last)
        let a = Int((text as NSString).substring(with: match.range(at: 1)))!
        let b = Int((text as NSString).substring(with: match.range(at: 2)))!
        let c = Int((text as NSString).substring(with: match.range(at: 3)))!
        let covered = Array(signed[0..<a]) + Array(signed[b..<(b + c)])
        let pki = SignFixtures.pki.rsaSigner
        try Data(covered).write(to: directory.appendingPathComponent("covered.bin"))
        try Data(pki.certificate.pemRepresentation.utf8).write(to: directory.appendingPathComponent("cert.pem"))
        try Data(pki.key.pemRepresentation.utf8).write(to: directory.appendingPathComponent("key.pem"))
        let result = try TestEnvironment.run(openssl, [
            "cms", "-sign", "-binary", "-stream", "-outform", "DER", "-md", "sha256", "-nosmimecap",
            "-in", directory.appendingPathComponent("covered.bin").path,
            "-signer", directory.appendingPathComponent("cert.pem").path,
            "-inkey", directory.appendingPathComponent("key.pem").path,
            "-out", directory.appendingPathComponent("sig.der").path,
        ])
        try #require(result.status == 0, "\(result.stderr)")
        // openssl streams the content inside; a PDF signature is detached, so the content is taken out again.
        let attached = Array(try Data(contentsOf: directory.appendingPathComponent("sig.der")))
        #expect(attached[0] == 0x30 && attached[1] == 0x80, "openssl -stream writes indefinite lengths")
        let ber = try Self.detached(attached)
        #expect(ber.count < attached.count - covered.count / 2)
        let reencoded = try Self.replacingContents(signed, with: ber)
        let report = PDFVerifier.verify(reencoded, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
        #expect(report.indication == .passed, "\(report.signatures.map(\.checks))")
        if TestEnvironment.peerAvailable("pdfsig", PDFPeers.pdfsig != nil) {
            let output = try PDFPeers.pdfsigOutput(try SignFixtures.write(reencoded, name: "openssl-ber.pdf"))
            #expect(output.contains("Signature is Valid"), "\(output)")
        }
    }

    /// The length walker stops at the end-of-contents of the outer element and never runs past the buffer.
    @Test func encodedLengthFindsTheEndOfIndefiniteElements() {
        let der: [UInt8] = [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xAA]
        let ber = Self.indefinite(der)
        #expect(EncodedLength.ofFirstElement(der + [0, 0, 0]) == der.count)
        #expect(EncodedLength.ofFirstElement(ber + [0, 0, 0, 0]) == ber.count)
        #expect(EncodedLength.ofFirstElement(Array(ber.dropLast(2))) == nil)
        #expect(EncodedLength.ofFirstElement([0x30, 0x80] + Array(repeating: 0x30, count: 100) + [0x80]) == nil)
        #expect(EncodedLength.ofFirstElement([0x02, 0x80, 0, 0]) == nil)  // primitive cannot be indefinite
    }
}
