import Foundation
import SealCrypto
import SealTestSupport
import Testing

@testable import SealPDF

/// Every corpus PDF either stamps (and pyHanko, pdfsig and qpdf accept the result) or fails with a typed error.
@Suite(.serialized) struct InteropCorpusTests {
    /// Inputs that cannot be signed incrementally, with the error code they must give.
    /// (None at present: a broken cross-reference of an unsigned input is rebuilt; see the repair test.)
    static let refused: [String: PDFStampError.Code] = [:]
    /// Passwords for encrypted inputs.
    static let passwords = ["pdfbox-PasswordSample-256bit.pdf": "user"]
    /// pyHanko refuses hybrid files and some multi-revision files in strict mode (pdf-signing.md §1.1).
    static let lenientPyHanko: Set<String> = ["qpdf-hybrid-xref.pdf", "qpdf-incremental-2.pdf"]

    static let corpusFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: SignFixtures.corpusFolder.path)) ?? []
        return (names.filter { $0.hasSuffix(".pdf") } + ["bench-doc100k.pdf"]).sorted()
    }()

    @Test(arguments: corpusFiles)
    func corpusFileStampsOrFailsTyped(_ name: String) throws {
        let input = try SignFixtures.corpus(name)
        let password = Self.passwords[name]
        var request = SignFixtures.request(try SignFixtures.rsaSigner(), password: password)
        request.fieldName = "SealPressTest"
        if name == "pdfjs-xref_command_missing.pdf" {  // a 71 x 18 mm page
            request.placement = PDFPlacement(page: .last, xMM: 1, yMM: 1, widthMM: 10)
        }
        let output: [UInt8]
        do {
            output = try PDFStamper.stamp(input, request: request)
        } catch let error as PDFStampError {
            let expected = try #require(Self.refused[name], "\(name) was refused: \(error)")
            #expect(error.code == expected, "\(name): \(error)")
            return
        }
        #expect(Self.refused[name] == nil, "\(name) should have been refused")
        #expect(Array(output[0..<input.count]) == input, "earlier bytes must not change")
        let file = try SignFixtures.write(output, name: name)
        let inputFile = try SignFixtures.write(input, name: "in-" + name)

        if TestEnvironment.peerAvailable("pyhanko", PDFPeers.pyhanko != nil) {
            let extra = Self.lenientPyHanko.contains(name) ? ["--no-strict-syntax"] : []
            let result = try PDFPeers.pyhankoValidate(
                file, trust: try SignFixtures.rootPEM(), password: password, extra: extra)
            let ours = result.lines.filter { $0.hasPrefix("SealPressTest:") }
            #expect(ours.count == 1, "\(name): \(result.lines) \(result.stderr.suffix(400))")
            #expect(ours.first?.hasSuffix(":INTACT:TRUSTED,UNTOUCHED") == true, "\(name): \(ours) \(result.stderr.suffix(400))")
            // Earlier signatures keep pyHanko's earlier judgement (intact ones stay intact).
            if ["pyhanko-signed-twice.pdf", "pyhanko-pades-lta-dss.pdf"].contains(name) {
                let earlier = result.lines.filter { !$0.hasPrefix("SealPressTest:") }
                #expect(!earlier.isEmpty && earlier.allSatisfy { $0.contains(":INTACT:") }, "\(name): \(earlier)")
            }
        }
        if TestEnvironment.peerAvailable("pdfsig", PDFPeers.pdfsig != nil) {
            let text = try PDFPeers.pdfsigOutput(file, password: password)
            let blocks = text.components(separatedBy: "Signature #")
            let last = blocks.last ?? ""
            #expect(last.contains("Signature is Valid"), "\(name): \(last)")
            #expect(last.contains("Total document signed"), "\(name): \(last)")
        }
        if TestEnvironment.peerAvailable("qpdf", PDFPeers.qpdf != nil) {
            // qpdf exits 0 (clean), 2 (errors) or 3 (warnings); anything else is qpdf crashing on the input
            // (Debian's 11.3 segfaults on qpdf-xref-compressed-in-compressed.pdf): then the output may only warn.
            let before = try PDFPeers.qpdfCheck(inputFile, password: password)
            let after = try PDFPeers.qpdfCheck(file, password: password)
            let inputCheckable = [0, 2, 3].contains(before)
            #expect(after == 0 || (after == 3 && (before == 3 || !inputCheckable)), "\(name): qpdf --check \(before) → \(after)")
        }
    }

    @Test func signedInputNeedingRepairIsRefused() throws {
        // Cut the cross-reference of a signed file: repairing it would break the earlier signatures.
        var bytes = try SignFixtures.corpus("pyhanko-signed-twice.pdf")
        let marker = Array("startxref".utf8)
        for index in 0..<(bytes.count - marker.count) where Array(bytes[index..<index + marker.count]) == marker {
            bytes[index + marker.count - 1] = UInt8(ascii: "x")
        }
        #expect(throws: PDFStampError(.unreadableDocument, "")) {
            _ = try PDFStamper.stamp(bytes, request: SignFixtures.request(try SignFixtures.rsaSigner()))
        }
    }

    @Test func encryptedInputWithoutPasswordIsATypedError() throws {
        let input = try SignFixtures.corpus("pdfbox-PasswordSample-256bit.pdf")
        #expect(throws: PDFStampError(.encryptedNeedsPassword, "")) {
            try PDFStamper.stamp(input, request: SignFixtures.request(try SignFixtures.rsaSigner()))
        }
    }
}
