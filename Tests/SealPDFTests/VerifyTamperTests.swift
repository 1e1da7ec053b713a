import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing

@testable import SealPDF

/// Tampered copies of our own output: our verifier must FAIL them, and agree with pyHanko.
@Suite(.serialized) struct VerifyTamperTests {
    static let signed: [UInt8] = {
        do {
            return try PDFStamper.stamp(
                try SignFixtures.corpus("sf-libreoffice-writer.pdf"), request: SignFixtures.request(try SignFixtures.rsaSigner()))
        } catch { fatalError("stamp: \(error)") }
    }()

    static func verify(_ bytes: [UInt8]) -> VerificationReport {
        PDFVerifier.verify(bytes, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
    }

    /// pyHanko's judgement: true when every signature line is INTACT without ILLEGAL_MODIFICATIONS and rc 0.
    static func pyhankoAccepts(_ bytes: [UInt8]) throws -> Bool? {
        guard TestEnvironment.peerAvailable("pyhanko", PDFPeers.pyhanko != nil) else { return nil }
        let result = try PDFPeers.pyhankoValidate(try SignFixtures.write(bytes), trust: try SignFixtures.rootPEM())
        let ok = result.status == 0 && !result.lines.isEmpty
            && result.lines.allSatisfy { $0.contains(":INTACT:") && !$0.contains("ILLEGAL") }
        return ok
    }

    /// An incremental update of the signed file made with the writer (as an attacker's tool would).
    static func update(_ body: (PDFDocument, inout PDFIncrementalUpdate) throws -> Void) throws -> [UInt8] {
        let document = try PDFDocument(bytes: signed)
        var update = PDFIncrementalUpdate(document: document)
        try body(document, &update)
        return try update.write().bytes
    }

    static func firstPage(_ document: PDFDocument) throws -> PDFPage { try document.pages()[0] }

    static let overlay = PDFObject.stream(
        PDFStream(dictionary: [:], rawData: Array("BT /F1 48 Tf 72 400 Td (PAID) Tj ET".utf8)))

    @Test func untouchedOutputPasses() throws {
        #expect(Self.verify(Self.signed).indication == .passed)
        if let accepted = try Self.pyhankoAccepts(Self.signed) { #expect(accepted) }
    }

    @Test func flippedByteFailsTheDigest() throws {
        var bytes = Self.signed
        let original = try SignFixtures.corpus("sf-libreoffice-writer.pdf")
        let target = original.count / 2
        bytes[target] ^= 0x01
        let report = Self.verify(bytes)
        #expect(report.indication == .failed)
        #expect(report.signatures.first?.verdict.subIndication == .hashFailure, "\(report.signatures.first?.checks ?? [])")
        if let accepted = try Self.pyhankoAccepts(bytes) { #expect(!accepted) }
    }

    /// One byte of the signature's /Contents hex string made non-hexadecimal (outside the signed ranges): the
    /// signature dictionary no longer parses. It must stay in the report as a failed signature, never vanish and
    /// leave "no signatures, integrity passed"; pyHanko does not accept the file either.
    @Test func aSignatureDictionaryThatNoLongerParsesFails() throws {
        var bytes = Self.signed
        let marker = Array("/Contents <".utf8)
        let start = try #require(SignatureDictionaryLayout.find(marker, in: bytes, from: 0, to: bytes.count))
        bytes[start + marker.count + 100] = UInt8(ascii: "G")
        let report = Self.verify(bytes)
        #expect(report.indication == .failed, "\(report.signatures.map(\.checks))")
        #expect(report.signatures.count == 1)
        #expect(report.signatures.first?.verdict.subIndication == .formatFailure)
        #expect(report.signatures.first?.checks.contains { $0.name == "signatureDictionary" && $0.status == .failed } == true)
        if let accepted = try Self.pyhankoAccepts(bytes) { #expect(!accepted) }
    }

    /// A later revision that points the signature field's /V at an object that does not exist: the signature is
    /// reported as one that cannot be read (FAILED), not dropped as if the field had never been signed.
    @Test func aSignatureValuePointingNowhereFails() throws {
        let bytes = try Self.update { document, update in
            let field = try #require(SignatureFieldLocator.signatureFields(document).first)
            let fieldRef = try #require(field.fieldRef)
            var dictionary = try #require(field.fieldDictionary)
            dictionary["V"] = .reference(PDFReference(number: 99_999))
            update.replace(fieldRef, with: .dictionary(dictionary))
        }
        let report = Self.verify(bytes)
        #expect(report.indication == .failed, "\(report.signatures.map(\.checks))")
        #expect(report.signatures.count == 1)
        #expect(report.signatures.first?.checks.contains { $0.name == "signatureDictionary" && $0.status == .failed } == true)
    }

    /// The signer's certificate made unrecognisable inside /Contents (one hex digit of its serial number changed,
    /// outside the signed ranges): the signature value cannot be checked, so the verdict is INDETERMINATE
    /// NO_SIGNING_CERTIFICATE_FOUND and integrity is never "passed"; the messageDigest still is checked, so the same
    /// file with a changed signed byte FAILS.
    @Test func aSignerCertificateThatNoLongerMatchesIsIndeterminateAndTamperingStillFails() throws {
        let marker = Array("/Contents <".utf8)
        let start = try #require(SignatureDictionaryLayout.find(marker, in: Self.signed, from: 0, to: Self.signed.count))
        let hexStart = start + marker.count
        let hexEnd = try #require(Self.signed[hexStart...].firstIndex(of: UInt8(ascii: ">")))
        let contents = try #require(Hex.bytes(String(decoding: Self.signed[hexStart..<hexEnd], as: UTF8.self)))
        let certificate = try #require(try SignFixtures.rsaSigner().certificate)
        let certificateAt = try #require(SignatureDictionaryLayout.find(certificate.der, in: contents, from: 0, to: contents.count))
        let serialAt = try #require(
            SignatureDictionaryLayout.find(certificate.serialNumber, in: certificate.der, from: 0, to: certificate.der.count))
        var bytes = Self.signed
        let digit = hexStart + 2 * (certificateAt + serialAt + certificate.serialNumber.count - 1)
        bytes[digit] = bytes[digit] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")

        let report = Self.verify(bytes)
        let checks = report.signatures.first?.checks ?? []
        #expect(report.indication == .indeterminate, "\(checks)")
        #expect(report.signatures.first?.verdict.subIndication == .noSigningCertificateFound)
        #expect(report.integrity.indication == .indeterminate, "\(checks)")
        #expect(checks.contains { $0.name == "digest" && $0.status == .passed })
        #expect(checks.contains { $0.name == "signature" && $0.status == .indeterminate })

        let original = try SignFixtures.corpus("sf-libreoffice-writer.pdf")
        bytes[original.count / 2] ^= 0x01
        let tampered = Self.verify(bytes)
        #expect(tampered.indication == .failed, "\(tampered.signatures.first?.checks ?? [])")
        #expect(tampered.signatures.first?.verdict.subIndication == .hashFailure)
    }

    @Test func pageContentSwappedInALaterRevisionFails() throws {
        let bytes = try Self.update { document, update in
            let page = try Self.firstPage(document)
            var dictionary = page.dictionary
            dictionary["Contents"] = .reference(update.add(Self.overlay))
            update.replace(page.ref, with: .dictionary(dictionary))
        }
        let report = Self.verify(bytes)
        #expect(report.indication == .failed)
        let reason = report.signatures.first?.checks.first { $0.name == "modifications" }?.reason ?? ""
        #expect(reason.contains("/Contents"), "\(reason)")
        if let accepted = try Self.pyhankoAccepts(bytes) { #expect(!accepted) }
    }

    @Test func overriddenAppearanceFails() throws {
        let bytes = try Self.update { document, update in
            let field = SignatureFieldLocator.signatureFields(document)[0]
            let catalog = try document.catalog
            let form = try #require(try document.resolveDictionary(catalog["AcroForm"]))
            let widgetRef = try #require(document.resolve(form["Fields"] ?? .null).arrayValue?.last?.referenceValue)
            let widget = try #require(try document.object(widgetRef).dictionaryValue)
            let apRef = try #require(widget["AP"]?.dictionaryValue?["N"]?.referenceValue)
            _ = field
            update.replace(apRef, with: Self.overlay)
        }
        let report = Self.verify(bytes)
        #expect(report.indication == .failed)
        let reason = report.signatures.first?.checks.first { $0.name == "modifications" }?.reason ?? ""
        #expect(reason.contains("appearance"), "\(reason)")
        if let accepted = try Self.pyhankoAccepts(bytes) { #expect(!accepted) }
    }

    @Test func shadowedPageContentObjectFails() throws {
        let bytes = try Self.update { document, update in
            let page = try Self.firstPage(document)
            let contents = try #require(page.dictionary["Contents"]?.referenceValue ?? page.dictionary["Contents"]?.arrayValue?.first?.referenceValue)
            update.replace(contents, with: Self.overlay)
        }
        let report = Self.verify(bytes)
        #expect(report.indication == .failed)
        let reason = report.signatures.first?.checks.first { $0.name == "modifications" }?.reason ?? ""
        #expect(reason.contains("shadowed"), "\(reason)")
        if let accepted = try Self.pyhankoAccepts(bytes) { #expect(!accepted) }
    }

    @Test func appendedObjectsWithoutCrossReferenceAreReported() throws {
        let bytes = Self.signed + Array("\n4 0 obj\n<< /Length 20 >>\nstream\nBT (PAID) Tj ET\nendstream\nendobj\n".utf8)
        let report = Self.verify(bytes)
        #expect(report.indication == .failed)
        #expect(report.documentChecks.contains { $0.name == "unsignedTrailingData" && $0.status == .failed })
    }

    @Test func benignInfoUpdateIsAllowedLikePyHanko() throws {
        let bytes = try Self.update { document, update in
            let info = update.add(.dictionary(["Producer": .string(PDFString(text: "later tool"))]))
            update.setTrailerEntries(["Info": .reference(info)])
        }
        let report = Self.verify(bytes)
        #expect(report.indication == .passed, "\(report.signatures.first?.checks ?? [])")
        if let accepted = try Self.pyhankoAccepts(bytes) { #expect(accepted) }
    }

    @Test func newPageAddedAfterSigningFails() throws {
        let bytes = try Self.update { document, update in
            let catalog = try document.catalog
            let pagesRef = try #require(catalog["Pages"]?.referenceValue)
            var pages = try #require(try document.object(pagesRef).dictionaryValue)
            let page = update.add(.dictionary(["Type": .name("Page"), "Parent": .reference(pagesRef), "MediaBox": .array([0, 0, 100, 100])]))
            pages["Kids"] = .array((pages["Kids"]?.arrayValue ?? []) + [.reference(page)])
            pages["Count"] = .integer((pages["Count"]?.integerValue ?? 1) + 1)
            update.replace(pagesRef, with: .dictionary(pages))
        }
        #expect(Self.verify(bytes).indication == .failed)
        if let accepted = try Self.pyhankoAccepts(bytes) { #expect(!accepted) }
    }

    @Test func forgedByteRangeWrappingIsRejected() throws {
        // Signature wrapping: point the first range past the real /Contents so the gap is some other string.
        var bytes = Self.signed
        let marker = Array("/ByteRange [".utf8)
        var start = bytes.count - marker.count
        while start > 0 && Array(bytes[start..<start + marker.count]) != marker { start -= 1 }
        try #require(start > 0)
        // Overwrite the digit after "[0 " so the first range ends early and the gap is not /Contents.
        let index = start + marker.count + 2
        bytes[index] = bytes[index] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        let report = Self.verify(bytes)
        #expect(report.indication == .failed)
    }
}

/// Random single-byte changes anywhere in the signed ranges of our output: never a crash, never PASSED.
@Suite struct VerifyMutationTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomByteChangesInTheSignedRangesNeverPass() throws {
        let signed = VerifyTamperTests.signed
        let field = try #require(SignatureFieldLocator.signatureFields(try PDFDocument(bytes: signed)).first)
        let ranges = (field.signature["ByteRange"]?.arrayValue ?? []).compactMap(\.integerValue)
        try #require(ranges.count == 4)
        var random = SplitMix(state: 0x5EA1_0001)
        for _ in 0..<150 {
            var bytes = signed
            var position = Int.random(in: 0..<bytes.count, using: &random)
            if position >= ranges[1] && position < ranges[2] { position = Int.random(in: 0..<ranges[1], using: &random) }
            bytes[position] ^= UInt8.random(in: 1...255, using: &random)
            let report = PDFVerifier.verify(bytes, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
            #expect(report.indication != .passed, "byte \(position) changed and the document still passed")
        }
    }
}

/// Broken inputs never crash the verifier and never pass: truncations and garbage in signed corpus files.
@Suite struct VerifyRobustnessTests {
    @Test(arguments: ["pyhanko-signed-twice.pdf", "pyhanko-pades-lta-dss.pdf", "pdfjs-signed_verified.pdf"])
    func truncatedAndScrambledSignedFilesNeverPass(_ name: String) throws {
        let original = try SignFixtures.corpus(name)
        var random = VerifyMutationTests.SplitMix(state: UInt64(original.count))
        for _ in 0..<60 {
            var bytes = Array(original.prefix(Int.random(in: 0..<original.count, using: &random)))
            if Bool.random(using: &random), !bytes.isEmpty {
                for _ in 0..<8 { bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            }
            let report = PDFVerifier.verify(bytes)
            #expect(report.indication != .passed)
        }
    }
}
