import Foundation
import SealCrypto
import SealReport
import Testing
@testable import SealOFD

/// A signed document changed after signing: each change is reported with its reason.
@Suite struct TamperingTests {
    let seals = TestSeals.shared

    func signed() throws -> [UInt8] {
        let request = OFDStampRequest(
            seal: seals.v4Seal, signer: try seals.signer(),
            placements: [OFDStampPlacement(page: .number(1), xMM: 100, yMM: 150)])
        return try OFDStamper.stamp(try Fixture.generatedOFD(pages: 3), request: request)
    }

    /// Rewrites a package: entries in `replace` get new contents, `add` are appended, the rest copied verbatim
    /// (or all re-compressed when `rezip`).
    func rewrite(_ bytes: [UInt8], replace: [String: [UInt8]] = [:], add: [(String, [UInt8])] = [], rezip: Bool = false) throws -> [UInt8] {
        let archive = try ZipArchive(bytes)
        var writer = ZipWriter()
        for entry in archive.entries {
            if let contents = replace[entry.path] {
                try writer.add(path: entry.path, contents: contents, time: 0, date: 33)
            } else if rezip && !entry.isDirectory {
                try writer.add(path: entry.path, contents: archive.contents(of: entry), time: 0, date: 33)
            } else {
                try writer.copy(entry, from: archive)
            }
        }
        for (path, contents) in add { try writer.add(path: path, contents: contents, time: 0, date: 33) }
        return try writer.finish()
    }

    func failing(_ report: VerificationReport) -> [Check] {
        report.signatures.flatMap(\.checks).filter { $0.status == .failed }
    }

    @Test func aChangedPageIsAHashFailureNamingThePage() throws {
        let original = try signed()
        var page = try ZipArchive(original).contents(of: "Doc_0/Pages/Page_1/Content.xml")
        page = Array(String(decoding: page, as: UTF8.self).replacingOccurrences(of: "page 2", with: "PAGE 2").utf8)
        let tampered = try rewrite(original, replace: ["Doc_0/Pages/Page_1/Content.xml": page])
        let report = OFDVerifier.verify(tampered, trust: seals.pki.trustStore)
        #expect(report.verdict.indication == .failed)
        #expect(report.verdict.subIndication == .hashFailure)
        let check = try #require(failing(report).first { $0.name == "referenceDigest" })
        #expect(check.reason?.contains("/Doc_0/Pages/Page_1/Content.xml") == true)
        if let judged = try OFDVerifyTool.judge(tampered) { #expect(judged.status == 1, "\(judged.output)") }
    }

    @Test func aRenumberedPageHidesTheSealAndIsReported() throws {
        let original = try signed()
        let document = String(decoding: try ZipArchive(original).contents(of: "Doc_0/Document.xml"), as: UTF8.self)
        let renumbered = document.replacingOccurrences(of: "<ofd:Page ID=\"10\"", with: "<ofd:Page ID=\"99\"")
        let report = OFDVerifier.verify(try rewrite(original, replace: ["Doc_0/Document.xml": Array(renumbered.utf8)]))
        let checks = report.signatures[0].checks
        #expect(checks.contains { $0.name == "stampAnnotation" && $0.status == .warning && $0.reason?.contains("10") == true })
        #expect(checks.contains { $0.name == "referenceDigest" && $0.status == .failed })
    }

    @Test func anAddedFileIsReportedAsUncovered() throws {
        let tampered = try rewrite(try signed(), add: [("Doc_0/Res/added.png", TestSeals.png)])
        let report = OFDVerifier.verify(tampered, trust: seals.pki.trustStore)
        let coverage = try #require(report.documentChecks.first { $0.name == "coverage" })
        #expect(coverage.status == .warning)
        #expect(coverage.reason?.contains("/Doc_0/Res/added.png") == true)
        // The signature itself is intact: nothing it protects changed.
        #expect(report.signatures[0].verdict.indication == .passed)
    }

    @Test func aReplacedSealFileIsReported() throws {
        let tampered = try rewrite(try signed(), replace: ["Doc_0/Signs/Sign_0/Seal.esl": seals.foreignSeal])
        let report = OFDVerifier.verify(tampered, trust: seals.pki.trustStore)
        #expect(report.verdict.indication == .failed)
        let names = Set(failing(report).map(\.name))
        #expect(names.contains("sealFile"))
        #expect(names.contains("referenceDigest"))
        if let judged = try OFDVerifyTool.judge(tampered) { #expect(judged.status == 1, "\(judged.output)") }
    }

    @Test func anEditedSignatureXMLBreaksTheDataHash() throws {
        let original = try signed()
        let path = "Doc_0/Signs/Sign_0/Signature.xml"
        var xml = String(decoding: try ZipArchive(original).contents(of: path), as: UTF8.self)
        xml = xml.replacingOccurrences(of: "Boundary=\"100 150", with: "Boundary=\"10 15")
        let tampered = try rewrite(original, replace: [path: Array(xml.utf8)])
        let report = OFDVerifier.verify(tampered, trust: seals.pki.trustStore)
        #expect(report.verdict.indication == .failed)
        #expect(failing(report).map(\.name) == ["dataHash"])
        if let judged = try OFDVerifyTool.judge(tampered) { #expect(judged.status == 1, "\(judged.output)") }
    }

    @Test func aRezippedPackageWithTheSameFilesStaysValid() throws {
        // CheckValue covers file contents, not their compression: re-zipping alone changes nothing signed.
        let rezipped = try rewrite(try signed(), rezip: true)
        let report = OFDVerifier.verify(rezipped, trust: seals.pki.trustStore)
        #expect(report.verdict.indication == .passed, "\(report.verdict.reasons)")
        if let judged = try OFDVerifyTool.judge(rezipped) { #expect(judged.status == 0, "\(judged.output)") }
    }

    @Test func aRezippedPackageWithReserializedXMLIsAHashFailure() throws {
        // A tool that parses and re-writes the XML while re-zipping changes protected bytes.
        let original = try signed()
        let archive = try ZipArchive(original)
        let document = String(decoding: try archive.contents(of: "Doc_0/Document.xml"), as: UTF8.self)
        let reserialized = document.replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", with: "<?xml version='1.0' encoding='UTF-8'?>")
        #expect(reserialized != document)
        let tampered = try rewrite(original, replace: ["Doc_0/Document.xml": Array(reserialized.utf8)], rezip: true)
        let report = OFDVerifier.verify(tampered, trust: seals.pki.trustStore)
        #expect(report.verdict.subIndication == .hashFailure)
        #expect(failing(report).first?.reason?.contains("/Doc_0/Document.xml") == true)
        if let judged = try OFDVerifyTool.judge(tampered) { #expect(judged.status == 1, "\(judged.output)") }
    }

    @Test func aRemovedProtectedFileIsReported() throws {
        let original = try signed()
        let archive = try ZipArchive(original)
        var writer = ZipWriter()
        for entry in archive.entries where entry.path != "Doc_0/PublicRes.xml" { try writer.copy(entry, from: archive) }
        let report = OFDVerifier.verify(try writer.finish(), trust: seals.pki.trustStore)
        #expect(failing(report).contains { $0.name == "referencedFileMissing" && $0.reason?.contains("/Doc_0/PublicRes.xml") == true })
    }

    @Test func aStrippedSignatureIsReported() throws {
        let once = try signed()
        let twice = try OFDStamper.stamp(
            once,
            request: OFDStampRequest(
                seal: seals.v4Seal, signer: try seals.signer(), placements: [OFDStampPlacement(page: .last, xMM: 10, yMM: 10)]))
        // Remove the first signature from the list; the second still protects its files.
        let list = #"<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:MaxSignId>s004</ofd:MaxSignId><ofd:Signature ID="s003" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_1/Signature.xml"/></ofd:Signatures>"#
        let stripped = try rewrite(twice, replace: ["Doc_0/Signs/Signatures.xml": Array(list.utf8)])
        let report = OFDVerifier.verify(stripped, trust: seals.pki.trustStore)
        #expect(report.signatures.count == 1)
        #expect(report.signatures[0].verdict.indication == .passed)
        let check = try #require(report.documentChecks.first { $0.name == "removedSignature" })
        #expect(check.status == .failed)
        #expect(check.reason?.contains("/Doc_0/Signs/Sign_0/Signature.xml") == true)
        #expect(report.verdict.indication == .failed)
    }

    @Test func aSignatureAddedToALockedDocumentBreaksTheLock() throws {
        let locked = try OFDStamper.stamp(
            try Fixture.generatedOFD(pages: 1),
            request: OFDStampRequest(
                seal: seals.v4Seal, signer: try seals.signer(), placements: [OFDStampPlacement(page: .last, xMM: 10, yMM: 10)],
                lock: true))
        let list = #"<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:MaxSignId>s003</ofd:MaxSignId><ofd:Signature ID="s001" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/><ofd:Signature ID="s003" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_1/Signature.xml"/></ofd:Signatures>"#
        let appended = try rewrite(locked, replace: ["Doc_0/Signs/Signatures.xml": Array(list.utf8)])
        let report = OFDVerifier.verify(appended, trust: seals.pki.trustStore)
        #expect(report.signatures[0].checks.contains { $0.name == "lockedSignatureList" && $0.status == .failed })
        #expect(report.signatures[1].checks.contains { $0.name == "signatureFile" && $0.status == .failed })
        if let judged = try OFDVerifyTool.judge(appended) { #expect(judged.status != 0, "\(judged.output)") }
    }

    @Test func untrustedAnchorsMakeAnIntactDocumentIndeterminate() throws {
        let report = OFDVerifier.verify(try signed(), trust: nil)
        #expect(report.integrity.indication == .passed)
        #expect(report.verdict.indication == .indeterminate)
        #expect(report.verdict.subIndication == .noCertificateChainFound)
    }
}
