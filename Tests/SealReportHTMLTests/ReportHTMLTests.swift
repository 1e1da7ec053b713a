import Foundation
import SealReport
import Testing

@testable import SealReportHTML

/// The readable report: what it shows, that it escapes document content, and that it needs nothing outside itself.
@Suite struct ReportHTMLTests {
    /// A 1×1 red PNG.
    static let redPixelPNG: [UInt8] = Array(
        Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")!)

    static let hostile = "<script>alert('seal')</script>"

    static func report(sealName: String = "合同专用章", reason: String = "the digest matches") -> VerificationReport {
        let signature = SignatureReport(
            id: "Signature1", format: "pdf.ses", algorithm: "SM2-SM3", signer: "CN=张三,O=示例公司",
            signerSerial: "0a1b", sealName: sealName, sealID: "ES-001",
            signingTime: Date(timeIntervalSince1970: 1_790_000_000), timestamped: false,
            checks: [
                .passed("digest", .integrity, reason),
                .indeterminate("trustAnchor", .trust, .noCertificateChainFound, "no trust anchor was given"),
            ])
        return VerificationReport(
            format: "pdf", documentSHA256: "ab12", signatures: [signature],
            documentChecks: [.passed("coverage", .integrity, "every byte is signed")],
            verifiedAt: Date(timeIntervalSince1970: 1_790_000_100))
    }

    static func details(name: String = "合同专用章", picture: [UInt8] = redPixelPNG, type: String = "PNG") -> SignatureDetails {
        SignatureDetails(
            picture: .init(declaredType: type, bytes: picture, widthMM: 40, heightMM: 40),
            seal: .init(
                name: name, esID: "ES-001", type: 1, vendorID: "SealPress", standard: "GB/T 38540-2020",
                owners: ["CN=张三,O=示例公司"], maker: "CN=Seal Maker", makerIssuer: "CN=Root",
                validFrom: Date(timeIntervalSince1970: 1_700_000_000), validTo: Date(timeIntervalSince1970: 1_900_000_000),
                created: nil),
            placements: [.init(page: 2, pageWidthMM: 210, pageHeightMM: 297, xMM: 120, yMM: 40, widthMM: 40, heightMM: 40)])
    }

    @Test func escapingTurnsMarkupIntoText() {
        #expect(HTMLText.escape(Self.hostile) == "&lt;script&gt;alert(&#39;seal&#39;)&lt;/script&gt;")
        #expect(HTMLText.escape("a & \"b\"") == "a &amp; &quot;b&quot;")
        #expect(HTMLText.escape("合同专用章") == "合同专用章")
    }

    @Test func aSealNameWithAScriptTagIsShownAsText() {
        let html = ReportHTML(
            report: Self.report(sealName: Self.hostile, reason: "<img src=x onerror=alert(1)>"),
            details: ["Signature1": Self.details(name: Self.hostile)], fileName: "<b>bad</b>.pdf"
        ).render()
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<b>bad</b>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;seal&#39;)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
    }

    @Test func showsVerdictSealFieldsPlacementAndChecks() {
        let html = ReportHTML(report: Self.report(), details: ["Signature1": Self.details()], fileName: "licence.pdf").render()
        #expect(html.contains("验证结果 <span class=\"en\">Verification result</span>"))
        #expect(html.contains("<strong>不确定 INDETERMINATE</strong>"))
        #expect(html.contains("The signatures are intact, but the signer cannot be proven trustworthy"))
        #expect(html.contains("data:image/png;base64,\(Data(Self.redPixelPNG).base64EncodedString())"))
        for text in ["合同专用章", "ES-001", "CN=Seal Maker", "CN=张三,O=示例公司", "2023-11-14 22:13:20 UTC", "2030-03-17 17:46:40 UTC",
                     "2026-09-21 14:13:20 UTC", "NO_CERTIFICATE_CHAIN_FOUND", "no chain to a trusted root",
                     "no trust anchor was given", "第 2 页", "x 120.0, y 40.0, 40.0 × 40.0 mm", "信任根"] {
            #expect(html.contains(text), "missing \(text)")
        }
        // The box is drawn in SVG page coordinates (top-left origin): 297 − 40 − 40 = 217 mm from the top.
        #expect(html.contains("<rect class=\"seal-box\" x=\"120.00\" y=\"217.00\" width=\"40.00\" height=\"40.00\"/>"))
    }

    @Test func aPagePictureGoesUnderTheBoxWhenThereIsOne() {
        let page: [UInt8] = Self.redPixelPNG + [1]
        let with = ReportHTML(report: Self.report(), details: ["Signature1": Self.details()], pageImages: [2: page]).render()
        let without = ReportHTML(report: Self.report(), details: ["Signature1": Self.details()]).render()
        #expect(with.contains("<image x=\"0\" y=\"0\" width=\"210.00\" height=\"297.00\" preserveAspectRatio=\"none\" href=\"data:image/png;base64,\(Data(page).base64EncodedString())\"/>"))
        #expect(!without.contains("<image "))
        #expect(without.contains("<rect class=\"sheet\""))
    }

    @Test func twoBoxesAreDrawnAndTheRestListed() {
        var details = Self.details()
        details.placements = (1...25).map {
            .init(page: $0, pageWidthMM: 210, pageHeightMM: 297, xMM: 200, yMM: 100, widthMM: 10, heightMM: 40)
        }
        let html = ReportHTML(report: Self.report(), details: ["Signature1": details]).render()
        #expect(html.components(separatedBy: "<rect class=\"seal-box\"").count - 1 == 2)
        #expect(html.contains("<li>第 3 页 <span class=\"en\">page 3</span><br>x 200.0, y 100.0, 10.0 × 40.0 mm</li>"))
        #expect(html.contains("<li>第 22 页"))
        #expect(!html.contains("<li>第 23 页"))
        #expect(html.contains("另有 3 处"))
    }

    @Test func anInvisibleSignatureSaysSo() {
        var details = Self.details()
        details.placements = []
        let html = ReportHTML(report: Self.report(), details: ["Signature1": details]).render()
        #expect(html.contains("An invisible signature: no seal box on any page"))
        #expect(!html.contains("<svg"))
    }

    @Test func aVectorSealPictureIsNamedNotDrawn() {
        let html = ReportHTML(
            report: Self.report(), details: ["Signature1": Self.details(picture: Array("PK\u{3}\u{4}rest".utf8), type: "ofd")]
        ).render()
        #expect(html.contains("OFD 矢量印章"))
        #expect(!html.contains("<img class=\"seal-picture\""))
    }

    @Test func nothingIsFetchedFromOutside() throws {
        let html = ReportHTML(report: Self.report(), details: ["Signature1": Self.details()], pageImages: [2: Self.redPixelPNG]).render()
        // Every src/href is a data: URI; no link, script or external stylesheet.
        let references = try Regex(#"(src|href)\s*=\s*"([^"]*)""#)
        for match in html.matches(of: references) {
            let value = String(match.output[2].substring ?? "")
            #expect(value.hasPrefix("data:"), "external reference \(value)")
        }
        #expect(!html.contains("<link"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("@import"))
        #expect(!html.contains("url("))
        #expect(html.contains("@page { size: A4"))
    }

    @Test func verdictSentencesFollowTheIndication() {
        let passed = VerificationReport(
            format: "pdf", signatures: [SignatureReport(id: "S", format: "pdf.ses", checks: [.passed("digest", .integrity)])])
        #expect(ReportHTML(report: passed).render().contains("<strong>通过 PASSED</strong>"))
        let failed = VerificationReport(
            format: "pdf",
            signatures: [SignatureReport(id: "S", format: "pdf.ses", checks: [.failed("digest", .integrity, .hashFailure, "changed")])])
        let html = ReportHTML(report: failed).render()
        #expect(html.contains("<strong>失败 FAILED</strong>"))
        #expect(html.contains("do not rely on it"))
        #expect(html.contains("digest: changed"))
        // A failed signature without a readable seal gets no reassurance about the picture on the page.
        #expect(html.contains("No seal picture could be read from this signature"))
        #expect(!html.contains("does not carry the electronic seal itself"))
        let cms = VerificationReport(
            format: "pdf", signatures: [SignatureReport(id: "S", format: "pdf.pades", checks: [.passed("digest", .integrity)])])
        #expect(ReportHTML(report: cms).render().contains("does not carry the electronic seal itself"))
    }
}

/// Seal pictures, fields and boxes read from real documents.
@Suite struct DocumentDetailsTests {
    static func corpus(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SealOFDTests/Fixtures/corpus").appendingPathComponent(name)
        return Array(try Data(contentsOf: url))
    }

    @Test func aVendorOFDGivesItsSealPictureFieldsAndBox() throws {
        let bytes = try Self.corpus("bank_receipt_1.ofd")
        let details = DocumentDetails.extract(bytes)
        let first = try #require(details.values.first)
        let picture = try #require(first.picture)
        #expect(picture.displayableMIMEType != nil || picture.declaredType.lowercased() == "ofd")
        let seal = try #require(first.seal)
        #expect(!seal.name.isEmpty)
        #expect(!seal.esID.isEmpty)
        let box = try #require(first.placements.first)
        #expect(box.page >= 1)
        #expect(box.xMM >= 0 && box.xMM + box.widthMM <= box.pageWidthMM + 0.01)
        #expect(box.yMM >= 0 && box.yMM + box.heightMM <= box.pageHeightMM + 0.01)
    }

    @Test func notADocumentGivesNothing() {
        #expect(DocumentDetails.extract(Array("hello".utf8)).isEmpty)
        #expect(DocumentDetails.extract(Array("%PDF-1.7\nbroken".utf8)).isEmpty)
    }
}
