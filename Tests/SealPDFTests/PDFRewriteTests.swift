import Foundation
import SealPDF
import SealTestSupport
import Testing

/// `PDFRewrite`: a repaired, unsigned, unencrypted document written out in full as one clean revision.
@Suite struct PDFRewriteTests {
    /// `pdf` with its last `startxref` pointing past the end of the file (any line ends).
    static func breakingStartXRef(_ pdf: [UInt8]) -> [UInt8] {
        let marker = Array("startxref".utf8)
        guard let at = (0...(pdf.count - marker.count)).reversed().first(where: { Array(pdf[$0..<($0 + marker.count)]) == marker })
        else { return pdf }
        var start = at + marker.count
        while start < pdf.count, pdf[start] == 10 || pdf[start] == 13 || pdf[start] == 32 { start += 1 }
        var end = start
        while end < pdf.count, (48...57).contains(pdf[end]) { end += 1 }
        var bytes = pdf
        bytes.replaceSubrange(start..<end, with: Array("99999999".utf8))
        return bytes
    }

    static func repaired(_ bytes: [UInt8], password: String? = nil) throws -> PDFDocument {
        let document = try PDFDocument(bytes: bytes, options: PDFReadOptions(password: password, allowRepair: true))
        #expect(document.wasRepaired)
        return document
    }

    @Test(arguments: [
        "qpdf-c-object-streams.pdf", "sf-libreoffice-writer.pdf", "qpdf-hybrid-xref.pdf", "qpdf-lin1-linearized.pdf",
    ])
    func aRepairedDocumentIsWrittenOutAsOneCleanRevisionWithItsObjectStreamsUnpacked(_ name: String) throws {
        let damaged = Self.breakingStartXRef(try PDFFixture.corpus(name))
        let repaired = try Self.repaired(damaged)
        let clean = try #require(try PDFRewrite.cleanCopy(ofRepaired: repaired))
        #expect(!clean.wasRepaired)
        #expect(clean.revisions.count == 1)
        #expect(try clean.pages().count == repaired.pages().count)
        let text = String(decoding: clean.bytes, as: UTF8.self)
        #expect(!text.contains("/ObjStm") && !text.contains("/XRef") && !text.contains("99999999"))
        #expect(!text.contains("/Linearized"), "a stale linearization dictionary was kept")
        // Every page reads back the same (reals are written with 6 decimals: within a millionth of a point).
        for (old, new) in zip(try repaired.pages(), try clean.pages()) {
            let a = [old.cropBox.llx, old.cropBox.lly, old.cropBox.urx, old.cropBox.ury]
            let b = [new.cropBox.llx, new.cropBox.lly, new.cropBox.urx, new.cropBox.ury]
            #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 }, "\(a) vs \(b)")
            #expect(old.rotate == new.rotate)
        }
        if TestEnvironment.peerAvailable("qpdf", PDFPeers.qpdf != nil) {
            let (directory, file) = try PDFFixture.temporaryFile(clean.bytes)
            defer { try? FileManager.default.removeItem(at: directory) }
            #expect(try PDFPeers.qpdfCheck(file) == 0, "qpdf --check on the rewrite of \(name)")
        }
    }

    @Test func documentsThatNeedNoRepairOrAreEncryptedAreNotRewrittenAndSignedOnesAreRefused() throws {
        let intact = try PDFDocument(bytes: try PDFFixture.corpus("sf-minimal-document.pdf"))
        #expect(try PDFRewrite.cleanCopy(ofRepaired: intact) == nil)
        let encrypted = try Self.repaired(
            Self.breakingStartXRef(try PDFFixture.bytes("encrypted", "aes-128.pdf")), password: "userpw")
        #expect(encrypted.isEncrypted)
        #expect(try PDFRewrite.cleanCopy(ofRepaired: encrypted) == nil)
        let signed = try Self.repaired(Self.breakingStartXRef(try PDFFixture.corpus("pyhanko-signed-twice.pdf")))
        #expect(throws: PDFStampError(.unreadableDocument, "")) { try PDFRewrite.cleanCopy(ofRepaired: signed) }
    }
}
