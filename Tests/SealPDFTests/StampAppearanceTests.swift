import Foundation
import SealCrypto
import SealReport
import Testing

@testable import SealPDF

/// What the stamp draws: soft-masked picture normally, an opaque one on PDF/A-1 (no transparency allowed).
@Suite struct StampAppearanceTests {
    static func update(_ input: [UInt8], _ signed: [UInt8]) -> [UInt8] { Array(signed[input.count...]) }

    static func contains(_ text: String, _ bytes: [UInt8]) -> Bool {
        SignatureDictionaryLayout.find(Array(text.utf8), in: bytes, from: 0, to: bytes.count) != nil
    }

    @Test func pdfA1DocumentGetsAnOpaqueSeal() throws {
        let input = try SignFixtures.corpus("sf-crazyones-pdfa.pdf")
        let signed = try PDFStamper.stamp(input, request: SignFixtures.request(try SignFixtures.rsaSigner()))
        let update = Self.update(input, signed)
        #expect(Self.contains("/Subtype /Image", update))
        #expect(!Self.contains("/SMask", update))
        let report = PDFVerifier.verify(signed, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
        #expect(report.indication == .passed)
    }

    @Test func ordinaryDocumentKeepsTheSoftMask() throws {
        let input = try SignFixtures.corpus("sf-libreoffice-writer.pdf")
        let signed = try PDFStamper.stamp(input, request: SignFixtures.request(try SignFixtures.rsaSigner()))
        let update = Self.update(input, signed)
        #expect(Self.contains("/SMask", update))
        #expect(Self.contains("/Im0 Do", update))
    }

    @Test func flatteningCompositesOntoWhite() throws {
        let image = try SealImage(imageBytes: try SignFixtures.image("rgba8.png"))
        let flat = try image.flattenedOnWhite()
        #expect(flat.softMask == nil)
        let color = try StampZlib.inflate(flat.data, expectedSize: 13 * 7 * 3, limit: 13 * 7 * 3 + 1)
        // Pixel (0,0): alpha 0 → white; pixel (5,3): R=116, alpha 80 → (116*80 + 255*175)/255 ≈ 211.
        #expect(Array(color[0..<3]) == [255, 255, 255])
        let p = 3 * (3 * 13 + 5)
        let expected: Int = (116 * 80 + 255 * 175 + 127) / 255
        #expect(Int(color[p]) == expected)
    }

    @Test func invisibleSignatureHasAZeroRectangle() throws {
        let input = try SignFixtures.corpus("sf-minimal-document.pdf")
        let signed = try PDFStamper.stamp(input, request: SignFixtures.request(try SignFixtures.rsaSigner(), visible: false))
        #expect(Self.contains("/Rect [0 0 0 0]", Self.update(input, signed)))
        #expect(!Self.contains("/Subtype /Image", Self.update(input, signed)))
    }
}
