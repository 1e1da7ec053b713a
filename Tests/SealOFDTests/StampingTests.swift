import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import Testing
@testable import SealOFD

@Suite struct StampingTests {
    let seals = TestSeals.shared

    func request(
        seal: [UInt8]? = nil, page: OFDStampPlacement.Page = .number(1), lock: Bool = false,
        version: OFDStampRequest.SESVersion = .v4, type: OFDSignatureType = .seal
    ) throws -> OFDStampRequest {
        OFDStampRequest(
            seal: seal ?? seals.v4Seal, signer: try seals.signer(),
            placements: type == .seal ? [OFDStampPlacement(page: page, xMM: 100, yMM: 200)] : [],
            sesVersion: version, signatureType: type, lock: lock)
    }

    /// Our verifier with the demo trust anchors: everything must pass.
    func expectFullyValid(_ bytes: [UInt8], _ label: String, signatures: Int) {
        let report = OFDVerifier.verify(bytes, trust: seals.pki.trustStore)
        #expect(report.signatures.count == signatures, "\(label)")
        #expect(report.verdict.indication == .passed, "\(label): \(report.verdict.reasons)")
    }

    @Test(arguments: ["helloworld.ofd", "path_unstd.ofd"])
    func stampedCorpusDocumentsAreValid(name: String) throws {
        let signed = try OFDStamper.stamp(try Fixture.bytes(name), request: try request())
        expectFullyValid(signed, name, signatures: 1)
        if let judged = try OFDVerifyTool.judge(signed) {
            #expect(judged.status == 0, "ofdverify.py: \(judged.output)")
            #expect(judged.output.contains("OVERALL: VALID"))
        }
    }

    /// The seal and the signature value (DER, with pictures and certificates that do not compress) are stored;
    /// the new XML is deflated; the input's entries are copied as they were.
    @Test func newBinaryEntriesAreStoredAndNewXMLDeflated() throws {
        let input = try Fixture.bytes("bank_receipt_1.ofd")
        var stamp = try request()
        stamp.placements = [OFDStampPlacement(page: .number(1), xMM: 150, yMM: 90, widthMM: 38, heightMM: 38)]
        let signed = try OFDStamper.stamp(input, request: stamp)
        let archive = try OFDPackage(signed).archive
        let folder = "Doc_0/Signs/Sign_1/"
        #expect(archive.entry(folder + "SignedValue.dat")?.method == 0)
        #expect(archive.entry(folder + "Seal.esl")?.method == 0)
        #expect(archive.entry(folder + "Signature.xml")?.method == 8)
        #expect(try archive.contents(of: folder + "Seal.esl") == seals.v4Seal)
        let original = try ZipArchive(input)
        for entry in original.entries where entry.path != "Doc_0/Signs/Signatures.xml" {
            let copied = try #require(archive.entry(entry.path))
            #expect(archive.localRecord(of: copied).elementsEqual(original.localRecord(of: entry)), "\(entry.path)")
        }
        if let judged = try OFDVerifyTool.judge(signed) { #expect(judged.status == 0, "ofdverify.py: \(judged.output)") }
    }

    @Test func multiPageDocumentWithSeveralStampsAndAClip() throws {
        var stamp = try request()
        stamp.placements = [
            OFDStampPlacement(page: .number(1), xMM: 20, yMM: 30),
            OFDStampPlacement(page: .number(3), xMM: 250, yMM: 150, widthMM: 42, heightMM: 42),
            OFDStampPlacement(page: .last, xMM: 190, yMM: 120, widthMM: 40, heightMM: 40, clip: OFDBox(xMM: 0, yMM: 0, widthMM: 20, heightMM: 40)),
        ]
        let signed = try OFDStamper.stamp(try Fixture.generatedOFD(pages: 7), request: stamp)
        expectFullyValid(signed, "7 pages", signatures: 1)
        let package = try OFDPackage(signed)
        let file = try OFDSignatureFile(path: "Doc_0/Signs/Sign_0/Signature.xml", bytes: package.read("Doc_0/Signs/Sign_0/Signature.xml"))
        #expect(file.stampAnnotations.map(\.pageRef) == ["10", "12", "16"])
        #expect(file.stampAnnotations[2].clip == OFDBox(xMM: 0, yMM: 0, widthMM: 20, heightMM: 40))
        #expect(file.stampAnnotations[0].boundary == OFDBox(xMM: 20, yMM: 30, widthMM: 40, heightMM: 40))
        #expect(file.signedInfoOrder == ["Provider", "SignatureMethod", "SignatureDateTime", "References", "StampAnnot", "StampAnnot", "StampAnnot", "Seal"])
        if let judged = try OFDVerifyTool.judge(signed) { #expect(judged.status == 0, "\(judged.output)") }
    }

    @Test func aRidingSealShowsOneStripPerPageAgainstTheRightEdge() throws {
        let document = try Fixture.generatedOFD(pages: 5)
        var stamp = try request()
        stamp.placements = try OFDRidingSeal.placements(for: document, yMM: 120, widthMM: 40, heightMM: 40)
        let signed = try OFDStamper.stamp(document, request: stamp)
        expectFullyValid(signed, "riding", signatures: 1)
        if let judged = try OFDVerifyTool.judge(signed) { #expect(judged.status == 0, "ofdverify.py: \(judged.output)") }
        let package = try OFDPackage(signed)
        let file = try OFDSignatureFile(path: "Doc_0/Signs/Sign_0/Signature.xml", bytes: package.read("Doc_0/Signs/Sign_0/Signature.xml"))
        #expect(file.stampAnnotations.count == 5)
        #expect(file.stampAnnotations[0].boundary == OFDBox(xMM: 202, yMM: 120, widthMM: 40, heightMM: 40))
        #expect(file.stampAnnotations[0].clip == OFDBox(xMM: 0, yMM: 0, widthMM: 8, heightMM: 40))
        #expect(file.stampAnnotations[1].boundary == OFDBox(xMM: 194, yMM: 120, widthMM: 40, heightMM: 40))
        #expect(file.stampAnnotations[1].clip == OFDBox(xMM: 8, yMM: 0, widthMM: 8, heightMM: 40))
        // Page 3 is landscape (297 mm wide): its strip sits at its own right edge.
        #expect(file.stampAnnotations[2].boundary == OFDBox(xMM: 273, yMM: 120, widthMM: 40, heightMM: 40))
        #expect(throws: OFDError(.invalidPlacement, "")) { try OFDRidingSeal.placements(for: document, pages: 2...2, yMM: 1, widthMM: 40, heightMM: 40) }
    }

    /// The options `sealpress stamp --riding` and pipeline `riding:` expose: top edge, odd pages, two slices with
    /// 60 % on the first page, 5 mm from the edge; the second group (page 5) starts the seal over.
    @Test func aRidingSealOnTheTopEdgeOfOddPagesWithUnequalSlices() throws {
        let document = try Fixture.generatedOFD(pages: 5)
        let pages = try OFDDocument(package: OFDPackage(document)).pages
        var stamp = try request()
        stamp.placements = try OFDRidingSeal.placements(
            pages: pages, pageNumbers: [1, 3, 5], edge: .top, slices: 2, marginMM: 5, firstPageShare: 0.6, widthMM: 40,
            heightMM: 40)
        let signed = try OFDStamper.stamp(document, request: stamp)
        expectFullyValid(signed, "riding-top", signatures: 1)
        if let judged = try OFDVerifyTool.judge(signed) { #expect(judged.status == 0, "\(judged.output)") }
        let package = try OFDPackage(signed)
        let file = try OFDSignatureFile(path: "Doc_0/Signs/Sign_0/Signature.xml", bytes: package.read("Doc_0/Signs/Sign_0/Signature.xml"))
        #expect(file.stampAnnotations.count == 3)
        // Page 1: the top 24 mm of the seal, 5 mm below the top edge, centred (210 mm wide page).
        #expect(file.stampAnnotations[0].boundary == OFDBox(xMM: 85, yMM: 5, widthMM: 40, heightMM: 40))
        #expect(file.stampAnnotations[0].clip == OFDBox(xMM: 0, yMM: 0, widthMM: 40, heightMM: 24))
        // Page 3 (landscape, 297 mm): the lower 16 mm, shifted up so that it too starts 5 mm below the edge.
        #expect(file.stampAnnotations[1].boundary == OFDBox(xMM: 128.5, yMM: -19, widthMM: 40, heightMM: 40))
        #expect(file.stampAnnotations[1].clip == OFDBox(xMM: 0, yMM: 24, widthMM: 40, heightMM: 16))
        #expect(file.stampAnnotations[2].clip == OFDBox(xMM: 0, yMM: 0, widthMM: 40, heightMM: 24))
        #expect(throws: OFDError(.invalidPlacement, "")) {
            try OFDRidingSeal.placements(pages: pages, pageNumbers: [1, 2], edge: .left, slices: 3, widthMM: 40, heightMM: 40)
        }
        #expect(throws: OFDError(.pageNotFound, "")) {
            try OFDRidingSeal.placements(pages: pages, pageNumbers: [6], edge: .left, widthMM: 40, heightMM: 40)
        }
    }

    @Test func referencesCoverEverythingButTheSignaturesOwnFilesAndTheList() throws {
        let original = try Fixture.bytes("path_unstd.ofd")
        let signed = try OFDStamper.stamp(original, request: try request())
        let package = try OFDPackage(signed)
        let file = try OFDSignatureFile(path: "Doc_0/Signs/Sign_0/Signature.xml", bytes: package.read("Doc_0/Signs/Sign_0/Signature.xml"))
        let referenced = Set(file.references.map(\.fileRef))
        let expected = Set(package.archive.filePaths.map(PackagePath.absolute)).subtracting([
            "/Doc_0/Signs/Sign_0/Signature.xml", "/Doc_0/Signs/Sign_0/SignedValue.dat", "/Doc_0/Signs/Signatures.xml",
        ])
        #expect(referenced == expected)
        #expect(referenced.contains("/Doc_0/Signs/Sign_0/Seal.esl"))
        #expect(referenced.contains("/OFD.xml"))
        // Every original entry except OFD.xml is copied byte for byte (local record included).
        let before = try ZipArchive(original)
        for entry in before.entries where entry.path != "OFD.xml" {
            let after = try #require(package.archive.entry(entry.path))
            #expect(package.archive.localRecord(of: after).elementsEqual(before.localRecord(of: entry)), "\(entry.path)")
        }
        // OFD.xml gained exactly the Signatures element and nothing else changed.
        let oldOFD = String(decoding: try before.contents(of: "OFD.xml"), as: UTF8.self)
        let newOFD = String(decoding: try package.read("OFD.xml"), as: UTF8.self)
        #expect(newOFD.replacingOccurrences(of: "<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures>", with: "") == oldOFD)
    }

    @Test func aSecondSealProtectsTheFirst() throws {
        let once = try OFDStamper.stamp(try Fixture.bytes("helloworld.ofd"), request: try request())
        var second = try request(page: .last)
        second.placements = [OFDStampPlacement(page: .last, xMM: 30, yMM: 30)]
        let twice = try OFDStamper.stamp(once, request: second)
        expectFullyValid(twice, "two seals", signatures: 2)
        let package = try OFDPackage(twice)
        let list = OFDSignatureList(path: "Doc_0/Signs/Signatures.xml", root: try package.xml("Doc_0/Signs/Signatures.xml"))
        #expect(list.entries.map(\.id) == ["s001", "s003"])
        #expect(list.maxSignID == "s004")
        let file = try OFDSignatureFile(path: "Doc_0/Signs/Sign_1/Signature.xml", bytes: package.read("Doc_0/Signs/Sign_1/Signature.xml"))
        let referenced = Set(file.references.map(\.fileRef))
        #expect(referenced.isSuperset(of: ["/Doc_0/Signs/Sign_0/Signature.xml", "/Doc_0/Signs/Sign_0/SignedValue.dat", "/Doc_0/Signs/Sign_0/Seal.esl"]))
        #expect(!referenced.contains("/Doc_0/Signs/Signatures.xml"))
        if let judged = try OFDVerifyTool.judge(twice) { #expect(judged.status == 0, "\(judged.output)") }
    }

    @Test func aSealAddedToAVendorSignedDocumentKeepsItValid() throws {
        // bank_receipt_1.ofd: Suwell layout with relative BaseLoc; our signature must not disturb it.
        var stamp = try request()
        stamp.placements = [OFDStampPlacement(page: .number(1), xMM: 150, yMM: 90, widthMM: 38, heightMM: 38)]
        let signed = try OFDStamper.stamp(try Fixture.bytes("bank_receipt_1.ofd"), request: stamp)
        let report = OFDVerifier.verify(signed, trust: seals.pki.trustStore)
        #expect(report.signatures.count == 2)
        #expect(report.integrity.indication == .passed, "\(report.integrity.reasons)")
        #expect(report.signatures[1].verdict.indication == .passed, "\(report.signatures[1].verdict.reasons)")
        if let judged = try OFDVerifyTool.judge(signed) { #expect(judged.status == 0, "\(judged.output)") }
    }

    @Test(arguments: ["SESV4SignDoc.ofd", "gen_v1_seal.ofd", "售票换开样例.ofd"])
    func aSealAddedAfterAnotherSignerKeepsEverySignatureIntact(name: String) throws {
        var stamp = try request()
        stamp.placements = [OFDStampPlacement(page: .number(1), xMM: 10, yMM: 10, widthMM: 30, heightMM: 30)]
        let signed = try OFDStamper.stamp(try Fixture.bytes(name), request: stamp)
        let report = OFDVerifier.verify(signed, trust: seals.pki.trustStore)
        #expect(report.signatures.count == 2)
        #expect(report.integrity.indication == .passed, "\(name): \(report.integrity.reasons)")
        #expect(report.signatures[1].verdict.indication == .passed, "\(report.signatures[1].verdict.reasons)")
        #expect(!report.documentChecks.contains { $0.name == "removedSignature" })
        if let judged = try OFDVerifyTool.judge(signed) { #expect(judged.status == 0, "\(judged.output)") }
    }

    @Test func lockingProtectsTheListAndRefusesLaterSignatures() throws {
        let locked = try OFDStamper.stamp(try Fixture.bytes("helloworld.ofd"), request: try request(lock: true))
        expectFullyValid(locked, "locked", signatures: 1)
        let package = try OFDPackage(locked)
        let file = try OFDSignatureFile(path: "Doc_0/Signs/Sign_0/Signature.xml", bytes: package.read("Doc_0/Signs/Sign_0/Signature.xml"))
        #expect(file.references.contains { $0.fileRef == "/Doc_0/Signs/Signatures.xml" })
        if let judged = try OFDVerifyTool.judge(locked) { #expect(judged.status == 0, "\(judged.output)") }
        #expect(throws: OFDError(.documentLocked, "")) { try OFDStamper.stamp(locked, request: try request()) }
        // ofdrw's WholeProtected sample is locked too.
        #expect(throws: OFDError(.documentLocked, "")) { try OFDStamper.stamp(try Fixture.bytes("allprotected.ofd"), request: try request()) }
    }

    @Test func v1SealsSignWithTheGMT0031Layout() throws {
        let signed = try OFDStamper.stamp(try Fixture.bytes("helloworld.ofd"), request: try request(seal: seals.v1Seal, version: .v1))
        expectFullyValid(signed, "v1", signatures: 1)
        let package = try OFDPackage(signed)
        let value = try SESSignature(bytes: package.read("Doc_0/Signs/Sign_0/SignedValue.dat"))
        #expect(value.version == .v1)
        if let judged = try OFDVerifyTool.judge(signed) { #expect(judged.status == 0, "\(judged.output)") }
    }

    @Test func badRequestsAreTypedErrors() throws {
        let document = try Fixture.bytes("helloworld.ofd")
        #expect(throws: OFDError(.pageNotFound, "")) { try OFDStamper.stamp(document, request: try request(page: .number(2))) }
        #expect(throws: ElectronicSealError(.signerNotInSeal, "")) {
            try OFDStamper.stamp(document, request: try request(seal: seals.foreignSeal))
        }
        #expect(throws: ElectronicSealError(.sealVersionMismatch, "")) {
            try OFDStamper.stamp(document, request: try request(seal: seals.v1Seal, version: .v4))
        }
        #expect(throws: OFDError(.invalidSeal, "")) { try OFDStamper.stamp(document, request: try request(seal: [0x30, 0x03, 1, 2, 3])) }
        var outside = try request()
        outside.placements = [OFDStampPlacement(page: .number(1), xMM: 500, yMM: 10)]
        #expect(throws: OFDError(.invalidPlacement, "")) { try OFDStamper.stamp(document, request: outside) }
        var expired = try request()
        expired.signingTime = Date().addingTimeInterval(-10 * 86_400)
        #expect(throws: ElectronicSealError(.sealNotYetValid, "")) { try OFDStamper.stamp(document, request: expired) }
    }
}

@Suite struct SignTypeAndTimestampTests {
    let seals = TestSeals.shared

    @Test func signTypeSignaturesUseTheDetachedPKCS9Layout() throws {
        let request = OFDStampRequest(seal: nil, signer: try seals.signer(), placements: [], signatureType: .sign)
        let signed = try OFDStamper.stamp(try Fixture.generatedOFD(pages: 2), request: request)
        let report = OFDVerifier.verify(signed, trust: seals.pki.trustStore)
        #expect(report.signatures.map(\.format) == ["ofd.sign"])
        #expect(report.verdict.indication == .passed, "\(report.verdict.reasons)")
        let package = try OFDPackage(signed)
        #expect(package.archive.entry("Doc_0/Signs/Sign_0/Seal.esl") == nil)
        let signedData = try CMSSignedData(der: package.read("Doc_0/Signs/Sign_0/SignedValue.dat"))
        #expect(signedData.encapsulatedContent == nil)
        #expect(signedData.oidStyle == .gmt0010)
        if let judged = try OFDVerifyTool.judge(signed) { #expect(judged.status == 0, "\(judged.output)") }
    }

    @Test func aTimestampIsEmbeddedInTheSESSignature() throws {
        let tsa = try LocalTimeStampAuthority(signer: seals.pki.sm2TSA.signer())
        let request = OFDStampRequest(
            seal: seals.v4Seal, signer: try seals.signer(), placements: [OFDStampPlacement(page: .last, xMM: 50, yMM: 50)],
            timestamp: tsa)
        let signed = try OFDStamper.stamp(try Fixture.bytes("helloworld.ofd"), request: request)
        let value = try SESSignature(bytes: OFDPackage(signed).read("Doc_0/Signs/Sign_0/SignedValue.dat"))
        #expect(value.timeStamp != nil)
        let report = OFDVerifier.verify(signed, trust: seals.pki.trustStore)
        #expect(report.verdict.indication == .passed, "\(report.verdict.reasons)")
        #expect(report.signatures[0].checks.contains { $0.name == "timestamp" && $0.status == .passed })
        #expect(report.signatures[0].timestamped)
        if let judged = try OFDVerifyTool.judge(signed) { #expect(judged.status == 0, "\(judged.output)") }
    }
}
