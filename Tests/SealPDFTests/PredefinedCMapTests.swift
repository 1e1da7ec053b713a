import Foundation
import SealTestSupport
import Testing

@testable import SealPDF

/// Type0 fonts without /ToUnicode: codes → CIDs through Adobe's predefined CMaps (UniGB-UCS2-H, GBK-EUC-H …) and
/// CIDs → Unicode through the Adobe-GB1 collection, so Chinese keywords are found and boxes use the /W width of
/// the right CID. Expected CIDs below were read from Adobe's CMap files (poppler-data) independently of our tables.
@Suite struct PredefinedCMapTests {
    @Test func tablesMapCodesToAdobeGB1CIDsAndBack() throws {
        let ucs2 = try #require(PredefinedCMaps.cmap(named: "UniGB-UCS2-H"))
        #expect(ucs2.cid(for: 0x76D6) == 1730 && ucs2.cid(for: 0x7AE0) == 4451 && ucs2.cid(for: 0x5904) == 1321)
        #expect(ucs2.cid(for: 0x41) == 34 && !ucs2.isVertical)
        let gbk = try #require(PredefinedCMaps.cmap(named: "GBK-EUC-H"))
        #expect(gbk.codes(in: [0xB8, 0xC7, 0x4E, 0xBA, 0xA3]).map(\.code) == [0xB8C7, 0x4E, 0xBAA3])
        #expect(gbk.cid(for: 0xB8C7) == 1730 && gbk.cid(for: 0xBAA3) == 1882 && gbk.cid(for: 0x4E) == 859)
        #expect(PredefinedCMaps.cmap(named: "GB-EUC-H")?.cid(for: 0xB9D8) == 1841)
        #expect(PredefinedCMaps.cmap(named: "GBpc-EUC-H")?.cid(for: 0xD5C2) == 4451)
        // -V: the H mappings plus vertical forms (、 U+3001 → CID 575), WMode 1.
        let vertical = try #require(PredefinedCMaps.cmap(named: "UniGB-UCS2-V"))
        #expect(vertical.isVertical && vertical.cid(for: 0x3001) == 575 && vertical.cid(for: 0x76D6) == 1730)
        #expect(PredefinedCMaps.cmap(named: "GBK-EUC-V")?.isVertical == true)
        // UTF-16: a supplementary character is one four-byte code (U+20087 = D840 DC87, in Adobe-GB1 since
        // Supplement 5).
        let utf16 = try #require(PredefinedCMaps.cmap(named: "UniGB-UTF16-H"))
        #expect(utf16.codes(in: [0xD8, 0x40, 0xDC, 0x87, 0x76, 0xD6]).map(\.code) == [0xD840_DC87, 0x76D6])
        let supplementary = try #require(utf16.cid(for: 0xD840_DC87))
        #expect(utf16.cid(for: 0x76D6) == 1730 && PredefinedCMaps.cmap(named: "UniGB-UCS2-H")?.cid(for: 0xD840) == nil)
        #expect(PredefinedCMaps.cmap(named: "UniJIS-UCS2-H") == nil)
        #expect(PredefinedCMaps.collection(ofCMap: "GBK-EUC-H") == "Adobe-GB1")

        let unicode = try #require(PredefinedCMaps.unicodeTable(forCollection: "Adobe-GB1"))
        #expect(unicode.text(for: 1730) == "盖" && unicode.text(for: 1882) == "海" && unicode.text(for: 859) == "N")
        #expect(unicode.text(for: 34) == "A" && unicode.text(for: 999_999) == nil)
        #expect(unicode.text(for: supplementary) == "\u{20087}")
        #expect(PredefinedCMaps.unicodeTable(forCollection: "Adobe-Japan1") == nil)
    }

    // MARK: - Hand-built document

    /// One page, three non-embedded STSong-Light Type0 fonts without /ToUnicode, each with /W widths that differ
    /// from the default for the CIDs it shows: Identity-H (codes are Adobe-GB1 CIDs), GBK-EUC-H and UniGB-UCS2-H.
    static func handBuilt() -> [UInt8] {
        var pdf = HandPDF()
        let catalog = pdf.reserve()
        let pagesNode = pdf.reserve()
        let descriptor = pdf.add(
            "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
                + "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
        func font(_ encoding: String, widths: String) -> Int {
            let cidFont = pdf.add(
                "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
                    + "/Ordering (GB1) /Supplement 4 >> /FontDescriptor \(descriptor) 0 R /DW 1000 /W [\(widths)] >>")
            return pdf.add(
                "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /\(encoding) "
                    + "/DescendantFonts [\(cidFont) 0 R] >>")
        }
        // 盖 1730, 章 4451, 处 1321, 海 1882, 关 1841, 申 3363, 报 1041, 单 1414, 位 3786; GBK-EUC-H's ASCII
        // are the proportional CIDs 814–907 (space 7716).
        let identity = font("Identity-H", widths: "1730 [800] 4451 [900] 1321 [700] 1882 [600] 1841 [650]")
        let gbk = font("GBK-EUC-H", widths: "1730 [600] 4451 [650] 1321 [700] 1882 [750] 1841 [800] 814 907 500 7716 [300]")
        let ucs2 = font("UniGB-UCS2-H", widths: "3363 [600] 1041 [700] 1414 [800] 3786 [900] 1730 [550]")
        let content = """
            BT /F1 20 Tf 72 700 Td <06C211630529> Tj 100 0 Td <075A0731> Tj ET
            BT /F2 16 Tf 72 600 Td <BAA3B9D8> Tj 60 0 Td <B8C7D5C2B4A6> Tj 60 0 Td ( No.5) Tj ET
            BT /F3 14 Tf 72 500 Td <7533 62A5 5355 4F4D> Tj 80 0 Td [<76D6> -50 <7AE0 5904>] TJ ET
            """
        let stream = pdf.addStream(content)
        let page = pdf.add(
            "<< /Type /Page /Parent \(pagesNode) 0 R /MediaBox [0 0 595 842] /Contents \(stream) 0 R "
                + "/Resources << /Font << /F1 \(identity) 0 R /F2 \(gbk) 0 R /F3 \(ucs2) 0 R >> >> >>")
        pdf.set(catalog, "<< /Type /Catalog /Pages \(pagesNode) 0 R >>")
        pdf.set(pagesNode, "<< /Type /Pages /Kids [\(page) 0 R] /Count 1 >>")
        return pdf.bytes(root: catalog)
    }

    @Test func handBuiltTextAndWidthsFollowTheCIDs() throws {
        let locator = PDFTextLocator(document: try PDFDocument(bytes: Self.handBuilt()))
        // GBK-EUC-H's space is CID 7716, which Adobe-GB1 gives as U+2002 (EN SPACE).
        #expect(try locator.text(page: 1) == "盖章处海关海关盖章处\u{2002}No.5申报单位盖章处")
        let k = 25.4 / 72
        // Identity-H: 20 pt × (0.8 + 0.9 + 0.7) = 48 pt.
        let identity = try #require(try locator.find(["盖章处"]).first)
        #expect(abs(identity.box.widthMM - 48 * k) < 0.001 && abs(identity.box.xMM - 72 * k) < 0.001)
        // GBK-EUC-H: 海关 16 × (0.75 + 0.8) = 24.8 pt; "No.5" 4 × 0.5 × 16 = 32 pt after a 0.3 × 16 pt space.
        let sea = try #require(try locator.find(["海关"]).last)
        #expect(abs(sea.box.widthMM - 24.8 * k) < 0.001)
        let number = try #require(try locator.find(["No.5"]).first)
        #expect(abs(number.box.widthMM - 32 * k) < 0.001)
        #expect(abs(number.box.xMM - (192 + 16 * 0.3) * k) < 0.001)
        // UniGB-UCS2-H: 14 × (0.6 + 0.7 + 0.8 + 0.9) = 42 pt, and 盖 0.55 + 0.05 (TJ) + 章 1 + 处 1 = 2.6 × 14.
        let unit = try #require(try locator.find(["申报单位"]).first)
        #expect(abs(unit.box.widthMM - 42 * k) < 0.001)
        let third = try #require(try locator.find(["盖章处"]).last)
        #expect(abs(third.box.widthMM - 2.6 * 14 * k) < 0.001 && abs(third.box.xMM - 152 * k) < 0.001)
    }

    @Test(.peerExecutable("pdftotext")) func handBuiltMatchesPoppler() throws {
        // poppler decodes these fonts with the same Adobe resources from poppler-data (its cMap/ and cidToUnicode/).
        // ("No.5" is left out: poppler's own CID table gives GBK-EUC-H's Latin CIDs as full-width forms.)
        try TextLocatorTests.compareWithPoppler(Self.handBuilt(), name: "predefined-cmaps.pdf", minimumCompared: 6) {
            ["盖章处", "海关", "申报单位"].contains($0.text)
        }
    }

    // MARK: - reportlab (STSong-Light, UniGB-UCS2-H, not embedded, no /ToUnicode)

    static let reportlabPython: URL? = {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        return (try? TestEnvironment.run(python, ["-c", "import reportlab"]))?.status == 0 ? python : nil
    }()

    static var reportlabPeersAvailable: Bool {
        reportlabPython != nil && TestEnvironment.executable("pdftotext") != nil
    }

    static func reportlabPDF() throws -> [UInt8] {
        let python = try #require(reportlabPython)
        let directory = try TestEnvironment.temporaryDirectory("sealpdf-stsong")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("stsong.pdf")
        let result = try TestEnvironment.run(
            python, [PDFFixture.url("text", "make-stsong-pdf.py").path, output.path])
        try #require(result.status == 0, "generator failed: \(result.stderr)")
        return Array(try Data(contentsOf: output))
    }

    @Test(.peer("python3-reportlab, poppler-utils") { PredefinedCMapTests.reportlabPeersAvailable })
    func reportlabSTSongMatchesPoppler() throws {
        guard TestEnvironment.peerAvailable("python3-reportlab", Self.reportlabPython != nil) else { return }
        let bytes = try Self.reportlabPDF()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("/UniGB-UCS2-H") && !text.contains("/ToUnicode") && !text.contains("/FontFile"))
        try TextLocatorTests.compareWithPoppler(bytes, name: "stsong.pdf", minimumCompared: 6) {
            ["收货单位", "盖章处", "中华人民共和国", "海关", "Form", "12"].contains($0.text)
        }
    }

    /// Stamps by keyword (each keyword on its own copy) on the reportlab page and finds the seal's red pixels (pdftoppm) centred on the keyword.
    @Test(.peer("python3-reportlab, poppler-utils") {
        PredefinedCMapTests.reportlabPeersAvailable && TestEnvironment.executable("pdftoppm") != nil
    })
    func keywordSealRendersOnSTSongText() throws {
        guard TestEnvironment.peerAvailable("python3-reportlab", Self.reportlabPython != nil),
            let pdftoppm = TestEnvironment.executable("pdftoppm")
        else { return }
        let bytes = try Self.reportlabPDF()
        let locator = PDFTextLocator(document: try PDFDocument(bytes: bytes))
        for keyword in ["盖章处", "海关"] {
            let box = try #require(try locator.find([keyword]).first).box
            let placement = PDFKeywordPlacement(keywords: [keyword], widthMM: 24)
            let resolved = try #require(
                try placement.resolve(bytes, aspectRatio: SignFixtures.sealPicture.aspectRatio).first)
            var request = SignFixtures.request(try SignFixtures.rsaSigner())
            request.placement = resolved
            let stamped = try PDFStamper(request).stamp(bytes)
            let file = try SignFixtures.write(stamped, name: "stsong-keyword.pdf")
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            let prefix = file.deletingLastPathComponent().appendingPathComponent("page").path
            let result = try TestEnvironment.run(pdftoppm, ["-r", "72", "-singlefile", file.path, prefix])
            try #require(result.status == 0, "pdftoppm: \(result.stderr)")
            let image = try PPM(Array(try Data(contentsOf: URL(fileURLWithPath: prefix + ".ppm"))))
            let red = try #require(image.redBounds(), "no red seal pixels for \(keyword)")
            let k = 25.4 / 72
            let centre = ((red.minX + red.maxX + 1) / 2 * k, (Double(image.height) - (red.minY + red.maxY + 1) / 2) * k)
            #expect(
                abs(centre.0 - box.centreMM.x) <= 2 && abs(centre.1 - box.centreMM.y) <= 2,
                "\(keyword): red centre \(centre), keyword centre \(box.centreMM)")
        }
    }
}
