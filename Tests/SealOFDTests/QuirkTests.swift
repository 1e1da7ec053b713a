import Foundation
import SealCrypto
import SealReport
import Testing
@testable import SealOFD

/// Layouts other producers write, applied to our own signed output where the signature does not cover them
/// (Signatures.xml and SignedValue.dat are never protected by their own signature).
@Suite struct QuirkTests {
    let seals = TestSeals.shared

    func signed() throws -> [UInt8] {
        try OFDStamper.stamp(
            try Fixture.bytes("helloworld.ofd"),
            request: OFDStampRequest(
                seal: seals.v4Seal, signer: try seals.signer(), placements: [OFDStampPlacement(page: .last, xMM: 60, yMM: 60)]))
    }

    func replacing(_ bytes: [UInt8], _ path: String, with contents: [UInt8]) throws -> [UInt8] {
        let archive = try ZipArchive(bytes)
        var writer = ZipWriter()
        for entry in archive.entries {
            if entry.path == path { try writer.add(path: path, contents: contents, time: 0, date: 33) } else { try writer.copy(entry, from: archive) }
        }
        return try writer.finish()
    }

    func expectValid(_ bytes: [UInt8], _ label: String) {
        let report = OFDVerifier.verify(bytes, trust: seals.pki.trustStore)
        #expect(report.signatures.count == 1, "\(label)")
        #expect(report.verdict.indication == .passed, "\(label): \(report.verdict.reasons)")
    }

    @Test(arguments: [
        #"<?xml version="1.0" encoding="UTF-8"?><Signatures xmlns="http://www.ofdspec.org"><MaxSignId>2</MaxSignId><Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></Signatures>"#,
        #"<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Signature ID="s001" Type="Seal" BaseLoc="Sign_0\Signature.xml"/></ofd:Signatures>"#,
        #"<Signatures><Signature ID="7" Type="Seal" BaseLoc="./doc_0/SIGNS/sign_0/signature.xml"/></Signatures>"#,
        #"<x:Signatures xmlns:x="urn:other"><x:Signature x:ID="9" BaseLoc=" /Doc_0/Signs/Sign_0/Signature.xml "/></x:Signatures>"#,
    ])
    func signatureListVariantsAreRead(list: String) throws {
        expectValid(try replacing(try signed(), "Doc_0/Signs/Signatures.xml", with: Array(list.utf8)), list)
    }

    @Test func aUTF16SignatureListIsRead() throws {
        let list = #"<?xml version="1.0" encoding="UTF-16"?><ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>"#
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in list.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        expectValid(try replacing(try signed(), "Doc_0/Signs/Signatures.xml", with: utf16), "UTF-16")
    }

    @Test func aBase64SignedValueIsDecoded() throws {
        let original = try signed()
        let value = try ZipArchive(original).contents(of: "Doc_0/Signs/Sign_0/SignedValue.dat")
        expectValid(try replacing(original, "Doc_0/Signs/Sign_0/SignedValue.dat", with: Array(Base64.encode(value).utf8)), "base64")
    }

    @Test func aBareSignatureValueIsIndeterminateNotACrash() throws {
        let bare: [UInt8] = [0x30, 0x44, 0x02, 0x20] + [UInt8](repeating: 0x11, count: 32) + [0x02, 0x20] + [UInt8](repeating: 0x22, count: 32)
        let report = OFDVerifier.verify(try replacing(try signed(), "Doc_0/Signs/Sign_0/SignedValue.dat", with: bare))
        #expect(report.signatures[0].verdict.indication == .indeterminate)
        #expect(report.signatures[0].verdict.subIndication == .noSigningCertificateFound)
    }

    @Test func aWrongTypeAttributeIsAWarningNotAFailure() throws {
        let list = #"<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Signature ID="s001" Type="Sign" BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/></ofd:Signatures>"#
        let report = OFDVerifier.verify(try replacing(try signed(), "Doc_0/Signs/Signatures.xml", with: Array(list.utf8)), trust: seals.pki.trustStore)
        #expect(report.verdict.indication == .passed, "\(report.verdict.reasons)")
        #expect(report.signatures[0].checks.contains { $0.name == "signatureType" && $0.status == .warning })
    }

    @Test func aSignatureWhoseFilesAreMissingFailsWithItsReason() throws {
        let list = #"<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Signature ID="s001" BaseLoc="Sign_9/Signature.xml"/></ofd:Signatures>"#
        let report = OFDVerifier.verify(try replacing(try signed(), "Doc_0/Signs/Signatures.xml", with: Array(list.utf8)))
        #expect(report.verdict.indication == .failed)
        #expect(report.signatures[0].checks.first?.name == "signatureFile")
    }

    @Test func encryptedEntriesAreATypedError() throws {
        var bytes = try Fixture.bytes("helloworld.ofd")
        let archive = try ZipArchive(bytes)
        let entry = try #require(archive.entry("Doc_0/Document.xml"))
        // Set the encryption flag in the central directory record of that entry.
        let name = Array("Doc_0/Document.xml".utf8)
        var position = bytes.count - 22
        while position > 0 { if bytes[position..<(position + 4)].elementsEqual([0x50, 0x4B, 1, 2]) && bytes[(position + 46)..<(position + 46 + name.count)].elementsEqual(name) { break }; position -= 1 }
        bytes[position + 8] |= 1
        let flagged = try ZipArchive(bytes)
        #expect((flagged.entry(entry.path)?.flags ?? 0) & 1 == 1)
        #expect(throws: OFDError(.unsupportedCompression, "")) { try flagged.contents(of: "Doc_0/Document.xml") }
        // The verifier reports instead of crashing.
        #expect(OFDVerifier.verify(bytes).verdict.indication != .passed)
    }

    @Test func randomMutationsOfASignedPackageNeverCrash() throws {
        let original = try signed()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            let report = OFDVerifier.verify(bytes)
            #expect(report.format == "ofd")
        }
    }
}
