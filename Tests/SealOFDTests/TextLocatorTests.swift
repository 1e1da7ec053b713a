import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing
@testable import SealOFD

/// OFD text location: keyword boxes on generated documents with known positions (expected boxes computed here
/// from the numbers written into the XML) and on the corpus's real invoices (each TextCode found inside the
/// producer's own `Boundary`, starting at its `X`).
@Suite struct OFDTextLocatorTests {
    static let ns = "xmlns:ofd=\"http://www.ofdspec.org/2016\""

    /// Page 1: a background template, a TextObject with `g` repetition, a keyword split over two TextCodes and over
    /// two TextObjects, a scaled CTM, a PageBlock; page 2: a vertical TextCode (DeltaY).
    static func generated() throws -> [UInt8] {
        func xml(_ text: String) -> [UInt8] { Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + text).utf8) }
        return try Fixture.zip([
            ("OFD.xml", xml("""
                <ofd:OFD \(ns) Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>t</ofd:DocID></ofd:DocInfo>\
                <ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>
                """)),
            ("Doc_0/Document.xml", xml("""
                <ofd:Document \(ns)><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea>\
                <ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>\
                <ofd:TemplatePage ID="5" BaseLoc="Tpls/T0.xml"/></ofd:CommonData><ofd:Pages>\
                <ofd:Page ID="10" BaseLoc="Pages/P0.xml"/><ofd:Page ID="11" BaseLoc="Pages/P1.xml"/></ofd:Pages></ofd:Document>
                """)),
            ("Doc_0/Tpls/T0.xml", xml("""
                <ofd:Page \(ns)><ofd:Content><ofd:Layer ID="6"><ofd:TextObject ID="7" Boundary="10 280 100 10" Font="2" \
                Size="4"><ofd:TextCode X="0" Y="5" DeltaX="g 3 4">模板页脚</ofd:TextCode></ofd:TextObject></ofd:Layer>\
                </ofd:Content></ofd:Page>
                """)),
            ("Doc_0/Pages/P0.xml", xml("""
                <ofd:Page \(ns)><ofd:Template TemplateID="5" ZOrder="Background"/><ofd:Content><ofd:Layer ID="20">\
                <ofd:TextObject ID="21" Boundary="30 50 100 20" Font="2" Size="5"><ofd:TextCode X="2" Y="6" \
                DeltaX="g 4 5">甲方盖章处</ofd:TextCode></ofd:TextObject>\
                <ofd:TextObject ID="22" Boundary="30 80 100 20" Font="2" Size="6"><ofd:TextCode X="0" Y="8">签</ofd:TextCode>\
                <ofd:TextCode X="6.5" Y="8">章</ofd:TextCode></ofd:TextObject>\
                <ofd:PageBlock ID="23"><ofd:TextObject ID="24" Boundary="20 150 100 30" Font="2" Size="10" \
                CTM="0.5 0 0 0.5 4 2"><ofd:TextCode X="0" Y="10" DeltaX="10 10 g 2 12">乙方 签字</ofd:TextCode>\
                </ofd:TextObject></ofd:PageBlock>\
                <ofd:TextObject ID="25" Boundary="100 200 20 10" Font="2" Size="4"><ofd:TextCode X="0" Y="4">授权</ofd:TextCode>\
                </ofd:TextObject><ofd:TextObject ID="26" Boundary="108 200 20 10" Font="2" Size="4">\
                <ofd:TextCode X="0" Y="4">代表</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>
                """)),
            ("Doc_0/Pages/P1.xml", xml("""
                <ofd:Page \(ns)><ofd:Content><ofd:Layer ID="30"><ofd:TextObject ID="31" Boundary="180 20 10 100" \
                Font="2" Size="6"><ofd:TextCode X="0" Y="6" DeltaY="g 2 7">骑缝章</ofd:TextCode></ofd:TextObject>\
                </ofd:Layer></ofd:Content></ofd:Page>
                """)),
        ])
    }

    /// The box of characters first…last of a horizontal TextCode, computed from the XML numbers: the pen starts at
    /// Boundary + X, each character is min(ΔX, em) wide (the last: one em), 0.88 em above and 0.12 em below Y.
    static func expected(
        boundary: (Double, Double), x: Double, y: Double, size: Double, deltas: [Double], first: Int, last: Int,
        scale: Double = 1, offset: (Double, Double) = (0, 0)
    ) -> OFDBox {
        let start = x + deltas.prefix(first).reduce(0, +)
        let end = x + deltas.prefix(last).reduce(0, +) + (last < deltas.count ? min(deltas[last], size) : size)
        return OFDBox(
            xMM: boundary.0 + offset.0 + scale * start, yMM: boundary.1 + offset.1 + scale * (y - 0.88 * size),
            widthMM: scale * (end - start), heightMM: scale * size)
    }

    static func distance(_ a: OFDBox, _ b: OFDBox) -> Double {
        max(abs(a.xMM - b.xMM), abs(a.yMM - b.yMM), abs(a.widthMM - b.widthMM), abs(a.heightMM - b.heightMM))
    }

    /// A range past the last page selects no page (a customs batch passes one --pages to documents of any
    /// length): no match, never a trap.
    @Test func pagesPastTheEndSelectNone() throws {
        let locator = try OFDTextLocator(bytes: try Self.generated())
        #expect(try locator.find(["盖章处"], pages: 2...2).isEmpty)
        #expect(try locator.find(["盖章处"], pages: 5...9).isEmpty)
        #expect(try locator.find(["盖章处"], pages: 1...9).count == 1)
    }

    @Test func keywordBoxesFollowTheXMLNumbers() throws {
        let locator = try OFDTextLocator(bytes: try Self.generated())
        #expect(try locator.text(page: 1) == "模板页脚甲方盖章处签章乙方 签字授权代表")
        let seal = try #require(try locator.find(["盖章处"]).first)
        #expect(seal.page == 1)
        let sealBox = Self.expected(boundary: (30, 50), x: 2, y: 6, size: 5, deltas: [5, 5, 5, 5], first: 2, last: 4)
        #expect(Self.distance(seal.box, sealBox) < 0.001, "\(seal.box) vs \(sealBox)")

        // Across two TextCodes: 签 at X 0, 章 at X 6.5 (one em each, 6 mm).
        let split = try #require(try locator.find(["签章"]).first)
        #expect(Self.distance(split.box, OFDBox(xMM: 30, yMM: 80 + 8 - 0.88 * 6, widthMM: 12.5, heightMM: 6)) < 0.001)

        // CTM scale 0.5 + offset (4, 2), DeltaX "10 10 g 2 12", white space in the text and in the keyword.
        let scaled = try #require(try locator.find(["方签 字"]).first)
        let scaledBox = Self.expected(
            boundary: (20, 150), x: 0, y: 10, size: 10, deltas: [10, 10, 12, 12], first: 1, last: 4, scale: 0.5,
            offset: (4, 2))
        #expect(Self.distance(scaled.box, scaledBox) < 0.001, "\(scaled.box) vs \(scaledBox)")

        // Across two TextObjects, and on the background template.
        let across = try #require(try locator.find(["授权代表"]).first)
        #expect(Self.distance(across.box, OFDBox(xMM: 100, yMM: 200 + 4 - 3.52, widthMM: 16, heightMM: 4)) < 0.001)
        let template = try #require(try locator.find(["页脚"]).first)
        #expect(Self.distance(template.box, Self.expected(
            boundary: (10, 280), x: 0, y: 5, size: 4, deltas: [4, 4, 4], first: 2, last: 3)) < 0.001)

        // Page 2: vertical DeltaY.
        let vertical = try #require(try locator.find(["骑缝章"], pages: 2...2).first)
        #expect(Self.distance(vertical.box, OFDBox(xMM: 180, yMM: 20 + 6 - 0.88 * 6, widthMM: 6, heightMM: 14 + 6)) < 0.001)
        #expect(try locator.find(["骑缝章"], pages: 1...1).isEmpty)
        #expect(throws: OFDError(.pageNotFound, "")) { try locator.glyphs(page: 3) }
    }

    @Test func repetitionSyntaxIsBounded() {
        #expect(OFDTextLocator.deltas("1 g 3 2.5 4", count: 10) == [1, 2.5, 2.5, 2.5, 4])
        #expect(OFDTextLocator.deltas("g 999999999999 1", count: 4) == [1, 1, 1, 1])
        #expect(OFDTextLocator.deltas("g x 1", count: 4) == [])
    }

    /// Every multi-character TextCode of the corpus documents is found inside its TextObject's Boundary (the
    /// producer's own box, 1 mm tolerance), its left edge where Boundary, CTM and X put it.
    @Test(arguments: ["bank_receipt_1.ofd", "售票换开样例.ofd", "helloworld.ofd", "SESV4SignDoc.ofd", "path_unstd.ofd"])
    func corpusTextCodesLieInTheirBoundaries(_ name: String) throws {
        let package = try OFDPackage(try Fixture.bytes(name))
        let locator = try OFDTextLocator(package: package)
        var checked = 0
        for page in locator.document.pages {
            guard let path = page.contentPath else { continue }
            var objects: [XMLElement] = []
            func walk(_ element: XMLElement) {
                for child in element.children {
                    if child.localName == "TextObject" { objects.append(child) } else { walk(child) }
                }
            }
            let content = try package.xml(path)
            walk(content)
            // The page's templates, found through Document.xml's TemplatePage list.
            let documentXML = try package.xml(locator.document.documentPath)
            for template in content.children("Template") {
                guard let entry = documentXML.child("CommonData")?.children("TemplatePage")
                    .first(where: { $0.attribute("ID") == template.attribute("TemplateID") }),
                    let location = entry.attribute("BaseLoc"),
                    let templatePath = package.locate(location, from: locator.document.documentPath)
                else { continue }
                walk(try package.xml(templatePath))
            }
            let matches = try locator.find(objects.flatMap { $0.children("TextCode").map(\.text) }, pages: page.number...page.number)
            for object in objects {
                guard let boundary = object.attribute("Boundary").flatMap({ OFDBox(stBox: $0) }) else { continue }
                let ctm = object.attribute("CTM").map { $0.split(separator: " ").compactMap { Double($0) } } ?? [1, 0, 0, 1, 0, 0]
                for code in object.children("TextCode") {
                    let text = code.text.trimmingCharacters(in: .whitespaces)
                    guard text.count >= 2, !text.contains(" "), let x = code.attribute("X").flatMap(Double.init),
                        let y = code.attribute("Y").flatMap(Double.init)
                    else { continue }
                    // Leading spaces advance the pen by their DeltaX entries before the first visible character.
                    let leading = code.text.prefix { $0 == " " }.count
                    let deltas = (code.attribute("DeltaX") ?? "").split(separator: " ")
                    guard !deltas.contains("g") else { continue }
                    let shift = deltas.prefix(leading).compactMap { Double($0) }.reduce(0, +)
                    let left = boundary.xMM + ctm[0] * (x + shift) + ctm[2] * y + ctm[4]
                    let candidates = matches.filter { $0.keyword == code.text }
                    let inside = candidates.contains { match in
                        abs(match.box.xMM - left) < 1 && match.box.xMM >= boundary.xMM - 1
                            && match.box.xMM + match.box.widthMM <= boundary.xMM + boundary.widthMM + 1
                            && match.box.yMM >= boundary.yMM - 1 && match.box.yMM + match.box.heightMM <= boundary.yMM + boundary.heightMM + 1
                    }
                    #expect(inside, "\(name) p\(page.number) '\(text)' boundary \(boundary.stBox): \(candidates.map(\.box.stBox))")
                    checked += 1
                }
            }
        }
        #expect(checked > 0 || ["helloworld.ofd", "SESV4SignDoc.ofd", "path_unstd.ofd"].contains(name))
    }
}

/// OFD keyword placement end to end: the seal's StampAnnot Boundary is centred on the keyword (expected from the
/// XML numbers), the output passes our verifier and ofdverify.py, and a missing keyword is a typed error.
@Suite struct OFDKeywordPlacementTests {
    let seals = TestSeals.shared

    @Test func sealIsCentredOnTheKeywordAndTheOutputVerifies() throws {
        let document = try OFDTextLocatorTests.generated()
        let placements = try OFDKeywordPlacement(keywords: ["盖章处"], offsetXMM: 5, offsetYMM: 2)
            .resolve(document, widthMM: 40, heightMM: 40)
        // 盖章处: x 42…57, y 51.6…56.6 (Boundary 30 50, X 2, Y 6, ΔX 5, size 5) → centre (49.5, 54.1);
        // offset +5 mm right, +2 mm up (OFD y grows downwards).
        #expect(placements == [OFDStampPlacement(page: .number(1), xMM: 49.5 + 5 - 20, yMM: 54.1 - 2 - 20, widthMM: 40, heightMM: 40)])
        let stamped = try OFDStamper.stamp(
            document,
            request: OFDStampRequest(seal: seals.v4Seal, signer: try seals.signer(), placements: placements))
        let report = OFDVerifier.verify(stamped, trust: seals.pki.trustStore)
        #expect(report.verdict.indication == .passed, "\(report.verdict.reasons)")
        if let judged = try OFDVerifyTool.judge(stamped) { #expect(judged.status == 0, "\(judged.output)") }

        #expect(throws: OFDError(.keywordNotFound, "")) {
            try OFDKeywordPlacement(keywords: ["不存在"]).resolve(document, widthMM: 40, heightMM: 40)
        }
        let fallback = OFDStampPlacement(page: .last, xMM: 10, yMM: 10)
        #expect(try OFDKeywordPlacement(keywords: ["不存在"], fallback: fallback).resolve(document, widthMM: 40, heightMM: 40) == [fallback])
        let all = try OFDKeywordPlacement(keywords: ["骑缝章", "甲方"], occurrence: .all).resolve(document, widthMM: 20, heightMM: 20)
        #expect(all.map(\.page) == [.number(1), .number(2)])
    }

    /// ofdverify.py's per-signature lines (`SIGNATURE <id>: VALID|INVALID …`).
    static func judgedSignatures(_ output: String) -> [Substring] {
        output.split(separator: "\n").filter { $0.hasPrefix("  SIGNATURE ") }
    }

    /// Issue 12: a keyword seal or a riding seal added to an already signed OFD leaves the earlier signature
    /// intact — ours (signed first at a fixed place) judged by our verifier and ofdverify.py, and a vendor's
    /// (SESV4SignDoc.ofd, ofdrw) whose signed files our references then cover.
    @Test func keywordAndRidingSealsKeepAnEarlierSignatureIntact() throws {
        let signer = try seals.signer()
        let first = try OFDStamper.stamp(
            try OFDTextLocatorTests.generated(),
            request: OFDStampRequest(
                seal: seals.v4Seal, signer: signer, placements: [OFDStampPlacement(page: .number(2), xMM: 10, yMM: 10)]))
        let keywordPlacements = try OFDKeywordPlacement(keywords: ["盖章处"]).resolve(first, widthMM: 40, heightMM: 40)
        let riding = try OFDRidingSeal.placements(for: first, yMM: 100, widthMM: 40, heightMM: 40)
        #expect(keywordPlacements.count == 1 && riding.count == 2)
        for (label, placements) in [("keyword", keywordPlacements), ("riding", riding)] {
            let second = try OFDStamper.stamp(
                first, request: OFDStampRequest(seal: seals.v4Seal, signer: signer, placements: placements))
            let report = OFDVerifier.verify(second, trust: seals.pki.trustStore)
            #expect(report.signatures.count == 2, "\(label)")
            #expect(report.signatures.allSatisfy { $0.verdict.indication == .passed }, "\(label): \(report.signatures.map(\.verdict.reasons))")
            #expect(report.verdict.indication == .passed, "\(label): \(report.verdict.reasons)")
            if let judged = try OFDVerifyTool.judge(second) {
                #expect(judged.status == 0, "\(label): \(judged.output)")
                let lines = Self.judgedSignatures(judged.output)
                #expect(lines.count == 2 && lines.allSatisfy { $0.hasSuffix(": VALID") }, "\(label): \(lines)")
            }
        }

        // A vendor-signed document: its text is "你好呀，OFD Reader&Writer！" on its one page.
        let vendor = try Fixture.bytes("SESV4SignDoc.ofd")
        let placements = try OFDKeywordPlacement(keywords: ["Reader"]).resolve(vendor, widthMM: 30, heightMM: 30)
        #expect(placements.count == 1)
        let stamped = try OFDStamper.stamp(
            vendor, request: OFDStampRequest(seal: seals.v4Seal, signer: signer, placements: placements))
        let report = OFDVerifier.verify(stamped, trust: seals.pki.trustStore)
        #expect(report.signatures.count == 2)
        #expect(report.integrity.indication == .passed, "\(report.integrity.reasons)")
        #expect(report.signatures[1].verdict.indication == .passed, "\(report.signatures[1].verdict.reasons)")
        #expect(!report.documentChecks.contains { $0.name == "removedSignature" })
        if let judged = try OFDVerifyTool.judge(stamped) {
            #expect(judged.status == 0, "\(judged.output)")
            let lines = Self.judgedSignatures(judged.output)
            #expect(lines.count == 2 && lines.allSatisfy { $0.hasSuffix(": VALID") }, "\(lines)")
        }
    }
}
