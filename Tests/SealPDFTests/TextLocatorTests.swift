import Foundation
@testable import SealPDF
import SealTestSupport
import Testing

/// The text location engine: glyph boxes and keyword matches, checked against poppler's `pdftotext -bbox-layout`
/// (an independent implementation) on hand-built, cairo- and reportlab-generated and corpus PDFs.
@Suite struct TextLocatorTests {
    // MARK: - Hand-built document

    static let toUnicode = """
        /CIDInit /ProcSet findresource begin 12 dict begin begincmap
        /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
        /CMapName /Adobe-Identity-UCS def /CMapType 2 def
        1 begincodespacerange <0000> <FFFF> endcodespacerange
        3 beginbfchar <0001> <76D6> <0008> <D840DC00> <0009> <0020> endbfchar
        4 beginbfrange <0002> <0003> [<7AE0> <5904>] <0004> <0005> [<7532> <65B9>]
        <0006> <0007> [<9A91> <7F1D>] <000A> <000C> <0041> endbfrange
        endcmap CMapName currentdict /CMap defineresource pop end end
        """

    /// Four pages (Rotate 0/90/180/270) with a Type0 Identity-H font (with /W and /ToUnicode) and Helvetica;
    /// page 2 draws its text through nested Form XObjects (one of which draws itself), page 3 has a CropBox
    /// offset, horizontal scaling, character and word spacing, page 4 turns the text matrix.
    static func handBuilt(userUnit: Double? = nil) -> [UInt8] {
        var pdf = HandPDF()
        let catalog = pdf.reserve()
        let pagesNode = pdf.reserve()
        let unicode = pdf.addStream(toUnicode)
        let descriptor = pdf.add(
            "<< /Type /FontDescriptor /FontName /TestSong /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
                + "/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
        let cidFont = pdf.add(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSong /CIDSystemInfo << /Registry (Adobe) "
                + "/Ordering (Identity) /Supplement 0 >> /FontDescriptor \(descriptor) 0 R /DW 1000 "
                + "/W [1 [1000 1000 1000 1000 1000 1000 1000 1000 500] 10 12 600] /CIDToGIDMap /Identity >>")
        let type0 = pdf.add(
            "<< /Type /Font /Subtype /Type0 /BaseFont /TestSong /Encoding /Identity-H "
                + "/DescendantFonts [\(cidFont) 0 R] /ToUnicode \(unicode) 0 R >>")
        let helvetica = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        let fonts = "/Font << /F1 \(type0) 0 R /F2 \(helvetica) 0 R >>"
        let inner = pdf.addStream(
            "BT /F1 20 Tf 300 300 Td <00040005> Tj ET",
            dictionary: "/Type /XObject /Subtype /Form /BBox [0 0 1000 1000] /Matrix [0.5 0 0 0.5 0 0] "
                + "/Resources << \(fonts) >>")
        let outer = pdf.reserve()
        pdf.set(
            outer,
            streamBody(
                "q /Self Do Q BT /F1 16 Tf 100 200 Td <000100020003> Tj ET /Inner Do",
                dictionary: "/Type /XObject /Subtype /Form /BBox [0 0 1000 1000] /Matrix [1 0 0 1 50 30] "
                    + "/Resources << \(fonts) /XObject << /Inner \(inner) 0 R /Self \(outer) 0 R >> >>"))
        let contents = [
            """
            BT /F1 14 Tf 72 700 Td <00040005> Tj 100 0 Td [<0001> 15 <0002> -10 <0003>] TJ ET
            BT /F2 12 Tf 72 650 Td (Seal here) Tj ET
            BT /F1 20 Tf 1 0 0 1 300 500 Tm [<0006>] TJ <0007> Tj 80 0 Td <000A000B000C> Tj ET
            BT /F1 12 Tf 400 100 Td <0008> Tj ET
            """,
            "q 1.5 0 0 1.5 0 0 cm /Outer Do Q BT /F1 12 Tf 72 100 Td <00040005> Tj ET",
            """
            BT /F1 18 Tf 80 Tz 1 Tc 100 400 Td <000100020003> Tj ET
            BT /F2 10 Tf 2 Tw 100 300 Td (Seal here now) Tj ET
            """,
            """
            BT /F1 14 Tf 0 1 -1 0 300 300 Tm <00040005> Tj 30 TL T* <000100020003> Tj ET
            BT /F2 12 Tf 14 TL 72 200 Td (first) Tj (Seal) ' ET
            """,
        ]
        var kids: [Int] = []
        for (index, content) in contents.enumerated() {
            let stream = pdf.addStream(content)
            let extra =
                switch index {
                case 1: "/Rotate 90"
                case 2: "/Rotate 180 /CropBox [20 30 575 812]"
                case 3: "/Rotate 270"
                default: ""
                }
            let unit = userUnit.map { " /UserUnit \($0)" } ?? ""
            kids.append(
                pdf.add(
                    "<< /Type /Page /Parent \(pagesNode) 0 R /MediaBox [0 0 595 842] \(extra)\(unit) /Contents \(stream) 0 R "
                        + "/Resources << \(fonts) /XObject << /Outer \(outer) 0 R >> >> >>"))
        }
        pdf.set(catalog, "<< /Type /Catalog /Pages \(pagesNode) 0 R >>")
        pdf.set(
            pagesNode,
            "<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(kids.count) >>")
        return pdf.bytes(root: catalog)
    }

    private static func streamBody(_ text: String, dictionary: String) -> String {
        "<< /Length \(text.utf8.count) \(dictionary) >>\nstream\n\(text)\nendstream"
    }

    @Test func handBuiltTextDecodes() throws {
        let locator = PDFTextLocator(document: try PDFDocument(bytes: Self.handBuilt()))
        #expect(try locator.text(page: 1) == "甲方盖章处Seal here骑缝ABC𠀀")
        #expect(try locator.text(page: 2) == "盖章处甲方甲方")
        #expect(try locator.find(["甲方"]).map(\.page) == [1, 2, 2, 4])
        #expect(try locator.find(["盖 章处"], pages: 2...3).map(\.page) == [2, 3])
        #expect(try locator.find(["不存在"]).isEmpty)
        // Pages past the last (the document has four) select none, whole or in part, and never trap.
        #expect(try locator.find(["甲方"], pages: 5...5).isEmpty)
        #expect(try locator.find(["甲方"], pages: 4...9).map(\.page) == [4])
    }

    /// Page 1's keyword box computed by hand from the content stream: x = 72 + 100 pt, three 14 pt glyphs with
    /// TJ adjustments +15 and −10 (thousandths of the font size), ascent 0.88 and descent −0.12 of 14 pt.
    @Test func keywordBoxFollowsTJArithmetic() throws {
        let locator = PDFTextLocator(document: try PDFDocument(bytes: Self.handBuilt()))
        let match = try #require(try locator.find(["盖章处"], pages: 1...1).first)
        let k = 25.4 / 72
        let expected = PDFTextBox(
            xMM: 172 * k, yMM: (700 - 0.12 * 14) * k, widthMM: (42 - 0.015 * 14 + 0.010 * 14) * k, heightMM: 14 * k)
        #expect(match.box.edgeDistance(expected) < 0.001, "\(match.box) vs \(expected)")
        // /UserUnit 2 doubles every distance.
        let doubled = PDFTextLocator(document: try PDFDocument(bytes: Self.handBuilt(userUnit: 2)))
        let big = try #require(try doubled.find(["盖章处"], pages: 1...1).first)
        #expect(abs(big.box.xMM - 2 * match.box.xMM) < 0.001 && abs(big.box.heightMM - 2 * match.box.heightMM) < 0.001)
    }

    @Test(.peerExecutable("pdftotext")) func handBuiltMatchesPoppler() throws {
        try Self.compareWithPoppler(Self.handBuilt(), name: "hand-built.pdf", minimumCompared: 12) { word in
            ["盖章处", "甲方", "骑缝", "ABC", "Seal", "here", "now", "first"].contains(word.text)
        }
    }

    // MARK: - Generated Chinese PDFs (embedded CID fonts)

    static let python: URL? = {
        for candidate in ["/usr/bin/python3"].map({ URL(fileURLWithPath: $0) }) + [TestEnvironment.executable("python3")]
            .compactMap({ $0 })
        where (try? TestEnvironment.run(candidate, ["-c", "import cairo, reportlab"]))?.status == 0 {
            return candidate
        }
        return nil
    }()

    static var fontInstalled: Bool {
        FileManager.default.fileExists(atPath: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
    }

    static var cjkPeersAvailable: Bool {
        python != nil && fontInstalled && TestEnvironment.executable("pdftotext") != nil
    }

    static func generatedCJK() throws -> URL? {
        guard TestEnvironment.peerAvailable("python3-cairo + python3-reportlab", python != nil),
            TestEnvironment.peerAvailable("fonts-wqy-zenhei", fontInstalled), let python
        else { return nil }
        let directory = try TestEnvironment.temporaryDirectory("sealpdf-cjk")
        let script = PDFFixture.url("text", "make-cjk-pdfs.py")
        let result = try TestEnvironment.run(python, [script.path, directory.path])
        try #require(result.status == 0, "generator failed: \(result.stderr)")
        return directory
    }

    @Test(.peer("python3-cairo, python3-reportlab, fonts-wqy-zenhei") { TextLocatorTests.cjkPeersAvailable })
    func cairoEmbeddedCIDFontsMatchPoppler() throws {
        guard let directory = try Self.generatedCJK() else { return }
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = Array(try Data(contentsOf: directory.appendingPathComponent("cairo-cjk.pdf")))
        // The generator's output really is what the test claims: Type0 fonts with embedded CID TrueType.
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("/Type0") && text.contains("/FontFile2") && text.contains("/ToUnicode"))
        try Self.compareWithPoppler(bytes, name: "cairo-cjk.pdf", minimumCompared: 17) { _ in true }
    }

    @Test(.peer("python3-cairo, python3-reportlab, fonts-wqy-zenhei") { TextLocatorTests.cjkPeersAvailable })
    func reportlabPredefinedCMapMatchesPoppler() throws {
        guard let directory = try Self.generatedCJK() else { return }
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = Array(try Data(contentsOf: directory.appendingPathComponent("reportlab-cid.pdf")))
        #expect(String(decoding: bytes, as: UTF8.self).contains("UniGB-UCS2-H"))
        try Self.compareWithPoppler(bytes, name: "reportlab-cid.pdf", minimumCompared: 5) { _ in true }
    }

    // MARK: - Corpus

    static let corpusFiles = PDFFixture.corpusNames.filter {
        !["pdfbox-PasswordSample-256bit.pdf", "pdfjs-xref_command_missing.pdf", "qpdf-recover-xref-stream.pdf"]
            .contains($0)
    }

    /// Words poppler shows that are not drawn by the file: sf-libreoffice-form.pdf sets /NeedAppearances and its
    /// text fields' values have no appearance stream; poppler synthesises one, we (like a stamp) read what is drawn.
    static let synthesisedByPoppler: [String: Set<String>] = ["sf-libreoffice-form.pdf": ["Alice", "Bob"]]

    /// Every ASCII word poppler reports (up to 60 per file) is found by our engine at poppler's box within 1 mm.
    @Test(.peerExecutable("pdftotext"), arguments: corpusFiles)
    func corpusWordsMatchPoppler(_ name: String) throws {
        let bytes = try PDFFixture.corpus(name)
        var seen = 0
        try Self.compareWithPoppler(bytes, name: name, minimumCompared: 0) { word in
            guard word.text.count >= 3, Self.synthesisedByPoppler[name]?.contains(word.text) != true, word.text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
                seen < 60
            else { return false }
            seen += 1
            return true
        }
    }

    /// Runs pdftotext on the bytes and checks each selected word against our matches on its page.
    static func compareWithPoppler(
        _ bytes: [UInt8], name: String, minimumCompared: Int, select: (PopplerWord) -> Bool
    ) throws {
        guard TestEnvironment.peerAvailable("pdftotext", TestEnvironment.executable("pdftotext") != nil) else { return }
        let (directory, file) = try PDFFixture.temporaryFile(bytes, name: name)
        defer { try? FileManager.default.removeItem(at: directory) }
        let words = try #require(try PopplerWord.words(of: file), "pdftotext failed on \(name)")
        let locator = PDFTextLocator(document: try PDFDocument(bytes: bytes))
        var compared = 0
        var cache: [String: [PDFKeywordMatch]] = [:]
        for word in words where select(word) {
            let key = "\(word.page)|\(word.text)"
            let ours = try cache[key] ?? locator.find([word.text], pages: word.page...word.page)
            cache[key] = ours
            let best = ours.map { $0.box.edgeDistance(word.box) }.min()
            #expect(
                best.map { $0 <= 1.0 } == true,
                "\(name) p\(word.page) '\(word.text)': poppler \(word.box), ours \(ours.map(\.box)) (best \(best ?? -1) mm)")
            compared += 1
        }
        #expect(compared >= minimumCompared, "\(name): only \(compared) words compared")
    }

    // MARK: - CMaps and hostile input

    @Test func toUnicodeRangesArraysAndSurrogates() throws {
        let cmap = try CMap(parsing: Array(Self.toUnicode.utf8), maxEntries: 100)
        #expect(cmap.unicode(for: 1) == "盖")
        #expect(cmap.unicode(for: 3) == "处")
        #expect(cmap.unicode(for: 8) == "𠀀")
        #expect(cmap.unicode(for: 0x0B) == "B")
        #expect(cmap.unicode(for: 0x0D) == nil)
        #expect(cmap.codes(in: [0, 1, 0, 2]).map(\.code) == [1, 2])
        let many = "1 begincodespacerange <0000> <FFFF> endcodespacerange 1000 beginbfchar "
            + (0..<1000).map { String(format: "<%04X> <%04X>", $0, $0 + 0x4E00) }.joined(separator: " ") + " endbfchar"
        #expect(throws: PDFError(.limitExceeded, "")) { try CMap(parsing: Array(many.utf8), maxEntries: 500) }
        // A range over the whole code space is one entry, not 65 536.
        let wide = try CMap(parsing: Array("1 beginbfrange <0000> <FFFF> <4E00> endbfrange".utf8), maxEntries: 10)
        #expect(wide.unicode(for: 0x10) == "\u{4E10}")
    }

    static func singlePage(_ content: String, extraObjects: (inout HandPDF) -> String = { _ in "" }) -> [UInt8] {
        var pdf = HandPDF()
        let catalog = pdf.reserve()
        let pagesNode = pdf.reserve()
        let font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        let xobjects = extraObjects(&pdf)
        let stream = pdf.addStream(content)
        let page = pdf.add(
            "<< /Type /Page /Parent \(pagesNode) 0 R /MediaBox [0 0 595 842] /Contents \(stream) 0 R "
                + "/Resources << /Font << /F1 \(font) 0 R >> /XObject << \(xobjects) >> >> >>")
        pdf.set(catalog, "<< /Type /Catalog /Pages \(pagesNode) 0 R >>")
        pdf.set(pagesNode, "<< /Type /Pages /Kids [\(page) 0 R] /Count 1 >>")
        return pdf.bytes(root: catalog)
    }

    @Test func formsDrawingEachOtherEndWithinLimits() throws {
        // A draws B twice and B draws A twice: the cycle is cut; ten forms drawing the next one ten times would be
        // 10^10 invocations: the operator limit ends it.
        let cyclic = Self.singlePage("/A Do BT /F1 12 Tf 10 10 Td (end) Tj ET") { pdf in
            let a = pdf.reserve(), b = pdf.reserve()
            let dictionary = { (other: Int, name: String) in
                "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /\(name) \(other) 0 R >> >>"
            }
            pdf.set(a, Self.streamBody("/B Do /B Do", dictionary: dictionary(b, "B")))
            pdf.set(b, Self.streamBody("/A Do /A Do", dictionary: dictionary(a, "A")))
            return "/A \(a) 0 R"
        }
        #expect(try PDFTextLocator(document: try PDFDocument(bytes: cyclic)).text(page: 1) == "end")

        let fanOut = Self.singlePage("/F0 Do") { pdf in
            var previous: Int?
            var first = 0
            for level in (0..<10).reversed() {
                let body = previous.map { _ in String(repeating: "/N Do ", count: 10) } ?? "BT /F1 1 Tf (x) Tj ET"
                let resources = previous.map { "/Resources << /XObject << /N \($0) 0 R >> >>" } ?? ""
                previous = pdf.add(
                    Self.streamBody(body, dictionary: "/Type /XObject /Subtype /Form /BBox [0 0 1 1] \(resources)"))
                if level == 0 { first = previous! }
            }
            return "/F0 \(first) 0 R"
        }
        let started = Date()
        #expect(throws: PDFError(.limitExceeded, "")) {
            try PDFTextLocator(document: try PDFDocument(bytes: fanOut), limits: PDFTextLimits(maxOperators: 200_000))
                .text(page: 1)
        }
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func garbageContentEndsQuickly() throws {
        // Unterminated strings and arrays over and over: lexing stays linear; deep arrays hit the depth limit.
        let garbage = String(repeating: "[(<", count: 60_000) + String(repeating: "[", count: 5_000)
            + " BT /F1 12 Tf (ok) Tj ET"
        let started = Date()
        let text = try PDFTextLocator(document: try PDFDocument(bytes: Self.singlePage(garbage))).text(page: 1)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(text.count < 10)
        // Many q without Q, and a huge TJ array, are fine.
        let deep = String(repeating: "q ", count: 100_000) + "BT /F1 10 Tf [" + String(repeating: "(a) -5 ", count: 50_000)
            + "] TJ ET"
        let glyphs = try PDFTextLocator(document: try PDFDocument(bytes: Self.singlePage(deep))).glyphs(page: 1)
        #expect(glyphs.count == 50_000)
    }
    // MARK: - Fast paths

    /// The interpreter dispatches on operator codes written as literals: each must be its word's code, and
    /// words the interpreter ignores must not collide with them.
    @Test func operatorCodesAreTheirWords() {
        for (word, code) in TextInterpreter.Op.all {
            #expect(ContentStreamLexer.code(Array(word.utf8)) == code, "\(word)")
        }
        #expect(Set(TextInterpreter.Op.all.map(\.code)).count == TextInterpreter.Op.all.count)
        let ignored = ["re", "BDC", "EMC", "Tjx", "T", "j", "gs", "sc", "scn", "endbfrange"]
        for word in ignored {
            let code = ContentStreamLexer.code(Array(word.utf8))
            #expect(!TextInterpreter.Op.all.contains { $0.code == code }, "\(word)")
        }
        #expect(ContentStreamLexer.code(Array("endbfrange".utf8)) == ContentStreamLexer.longWord)

        var lexer = ContentStreamLexer(bytes: Array("true false null 12 /F1 Tf BI /W 1 ID xx EI T* endcmap".utf8))
        var operands: [PDFObject] = []
        var codes: [UInt32] = []
        while let token = lexer.nextCoded() {
            switch token {
            case .operand(let object): operands.append(object)
            case .operator(let code): codes.append(code)
            }
        }
        #expect(operands == [.boolean(true), .boolean(false), .null, .integer(12), .name("F1")])
        #expect(codes == [TextInterpreter.Op.Tf, TextInterpreter.Op.TStar, ContentStreamLexer.longWord])
    }

    /// A standard-14 font's widths are computed once per font and encoding: the same code in another encoding,
    /// or with /Differences, still gets its own glyph's width (Helvetica: Euro 556, Adieresis 667).
    @Test func standardWidthsFollowTheEncoding() throws {
        func page(_ encoding: String) -> [UInt8] {
            var pdf = HandPDF()
            let catalog = pdf.reserve()
            let pagesNode = pdf.reserve()
            let font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding \(encoding) >>")
            let stream = pdf.addStream("BT /F1 100 Tf 10 10 Td <80> Tj ET")
            let page = pdf.add(
                "<< /Type /Page /Parent \(pagesNode) 0 R /MediaBox [0 0 595 842] /Contents \(stream) 0 R "
                    + "/Resources << /Font << /F1 \(font) 0 R >> >> >>")
            pdf.set(catalog, "<< /Type /Catalog /Pages \(pagesNode) 0 R >>")
            pdf.set(pagesNode, "<< /Type /Pages /Kids [\(page) 0 R] /Count 1 >>")
            return pdf.bytes(root: catalog)
        }
        let cases: [(encoding: String, text: String, width: Double)] = [
            ("/WinAnsiEncoding", "€", 556), ("/MacRomanEncoding", "Ä", 667),
            ("<< /BaseEncoding /WinAnsiEncoding /Differences [128 /Adieresis] >>", "Ä", 667),
            ("/WinAnsiEncoding", "€", 556), ("/MacRomanEncoding", "Ä", 667),
        ]
        for (encoding, text, width) in cases {
            let glyphs = try PDFTextLocator(document: try PDFDocument(bytes: page(encoding))).glyphs(page: 1)
            let glyph = try #require(glyphs.first)
            #expect(glyphs.count == 1 && glyph.text == text, "\(encoding)")
            // 100 pt × width / 1000, in millimetres.
            #expect(abs(glyph.box.widthMM - width / 10 * 25.4 / 72) < 0.001, "\(encoding): \(glyph.box)")
        }
    }
}
