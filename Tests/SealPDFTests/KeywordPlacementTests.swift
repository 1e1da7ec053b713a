import ElectronicSeal
import Foundation
import SealCrypto
import SealTestSupport
import Testing

@testable import SealPDF

/// Keyword placement: resolution to placements, typed failures, and — as a person would check — the rendered page
/// (pdftoppm) shows the seal's red pixels centred on the keyword box that poppler-verified text location gives.
@Suite struct KeywordPlacementTests {
    @Test func occurrencesFollowReadingOrderAndMissingKeywordsAreTyped() throws {
        let pdf = TextLocatorTests.handBuilt()
        let all = try PDFKeywordPlacement(keywords: ["甲方"], occurrence: .all, widthMM: 20).resolve(pdf, aspectRatio: 1)
        #expect(all.map(\.page) == [.number(1), .number(2), .number(2), .number(4)])
        let last = try PDFKeywordPlacement(keywords: ["甲方"], occurrence: .last).resolve(pdf, aspectRatio: 1)
        #expect(last.map(\.page) == [.number(4)])
        // Two keywords: their matches merge in reading order (page 1: 甲方 at y 700 above 骑缝 at y 500).
        let merged = try PDFKeywordPlacement(keywords: ["骑缝", "甲方"], occurrence: .all, pages: 1...1)
            .resolve(pdf, aspectRatio: 1)
        #expect(merged.count == 2 && merged[0].yMM > merged[1].yMM)

        #expect(throws: PDFStampError(.keywordNotFound, "")) {
            try PDFKeywordPlacement(keywords: ["乙方"]).resolve(pdf, aspectRatio: 1)
        }
        #expect(throws: PDFStampError(.keywordNotFound, "")) {
            try PDFKeywordPlacement(keywords: ["甲方"], occurrence: .number(5)).resolve(pdf, aspectRatio: 1)
        }
        let fallback = PDFPlacement(page: .last, xMM: 5, yMM: 5)
        #expect(try PDFKeywordPlacement(keywords: ["乙方"], fallback: fallback).resolve(pdf, aspectRatio: 1) == [fallback])
        #expect(PDFKeywordPlacement.Occurrence("3") == .number(3) && PDFKeywordPlacement.Occurrence("0") == nil)
    }

    @Test func sealNearThePageEdgeIsKeptOnThePage() throws {
        // "ABC" on page 1 is centred near x 140 mm; a 180 mm seal centred there would cross the right edge (210 mm).
        let placements = try PDFKeywordPlacement(keywords: ["ABC"], widthMM: 180)
            .resolve(TextLocatorTests.handBuilt(), aspectRatio: 1)
        let placement = try #require(placements.first)
        #expect(abs(placement.xMM + 180 - 595 / PDFPlacement.pointsPerMM) < 0.001)
    }

    /// Pages are read only as far as the occurrence needs: with "Seal" on pages 1 and 3 and forms nested past the
    /// limit on page 2, `first` and `last` resolve (page 2 is never interpreted) while `all` and the 2nd match must
    /// read page 2 and fail.
    @Test func pagesAreReadOnlyAsFarAsTheOccurrenceNeeds() throws {
        var pdf = HandPDF()
        let catalog = pdf.reserve()
        let pagesNode = pdf.reserve()
        let helvetica = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        var next: Int?
        for _ in 0..<20 {  // a chain of 20 forms, each drawing the next: deeper than PDFTextLimits.maxFormDepth (16)
            let resources = next.map { "/Resources << /XObject << /N \($0) 0 R >> >>" } ?? ""
            next = pdf.addStream(
                next == nil ? "BT /F1 12 Tf (deep) Tj ET" : "/N Do",
                dictionary: "/Type /XObject /Subtype /Form /BBox [0 0 10 10] \(resources)")
        }
        let contents = [
            "BT /F1 12 Tf 72 700 Td (Seal here) Tj ET", "/N Do BT /F1 12 Tf 72 600 Td (Seal there) Tj ET",
            "BT /F1 12 Tf 72 500 Td (Seal last) Tj ET",
        ]
        var kids: [Int] = []
        for content in contents {
            let stream = pdf.addStream(content)
            kids.append(
                pdf.add(
                    "<< /Type /Page /Parent \(pagesNode) 0 R /MediaBox [0 0 595 842] /Contents \(stream) 0 R "
                        + "/Resources << /Font << /F1 \(helvetica) 0 R >> /XObject << /N \(next!) 0 R >> >> >>"))
        }
        pdf.set(catalog, "<< /Type /Catalog /Pages \(pagesNode) 0 R >>")
        pdf.set(pagesNode, "<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count 3 >>")
        let bytes = pdf.bytes(root: catalog)
        // The limit is real: page 2 alone cannot be read.
        #expect(throws: PDFError(.limitExceeded, "")) {
            try PDFTextLocator(document: try PDFDocument(bytes: bytes)).glyphs(page: 2)
        }

        let first = try PDFKeywordPlacement(keywords: ["Seal"], widthMM: 20).resolve(bytes, aspectRatio: 1)
        #expect(first.map(\.page) == [.number(1)])
        let last = try PDFKeywordPlacement(keywords: ["Seal"], occurrence: .last, widthMM: 20).resolve(bytes, aspectRatio: 1)
        #expect(last.map(\.page) == [.number(3)])
        // Pages 2–3 searched from the end never reach page 2; from the start they must.
        let lastOfTwoThree = try PDFKeywordPlacement(keywords: ["Seal"], occurrence: .last, pages: 2...3, widthMM: 20)
            .resolve(bytes, aspectRatio: 1)
        #expect(lastOfTwoThree.map(\.page) == [.number(3)])
        #expect(throws: PDFStampError(.unreadableDocument, "")) {
            try PDFKeywordPlacement(keywords: ["Seal"], pages: 2...3).resolve(bytes, aspectRatio: 1)
        }
        #expect(throws: PDFStampError(.unreadableDocument, "")) {
            try PDFKeywordPlacement(keywords: ["Seal"], occurrence: .all).resolve(bytes, aspectRatio: 1)
        }
        #expect(throws: PDFStampError(.unreadableDocument, "")) {
            try PDFKeywordPlacement(keywords: ["Seal"], occurrence: .number(2)).resolve(bytes, aspectRatio: 1)
        }
    }

    /// Stamps "盖章处" on pages 1 (upright) and 2 (/Rotate 90, text inside nested forms) and 3 (/Rotate 180 with a
    /// CropBox offset, seal moved 15 mm right and 10 mm down), renders each page with pdftoppm and finds the red
    /// seal's centre within 2 mm of where the keyword box (plus offset) is.
    @Test(.peerExecutable("pdftoppm")) func renderedSealSitsOnTheKeyword() throws {
        guard TestEnvironment.peerAvailable("pdftoppm", TestEnvironment.executable("pdftoppm") != nil) else { return }
        let pdftoppm = try #require(TestEnvironment.executable("pdftoppm"))
        var bytes = TextLocatorTests.handBuilt()
        let locator = PDFTextLocator(document: try PDFDocument(bytes: bytes))
        let boxes = try locator.find(["盖章处"], pages: 1...3).map(\.box)
        try #require(boxes.count == 3)
        let offsets: [(Double, Double)] = [(0, 0), (0, 0), (15, -10)]
        for page in 1...3 {
            let placement = PDFKeywordPlacement(
                keywords: ["盖章处"], pages: page...page, offsetXMM: offsets[page - 1].0, offsetYMM: offsets[page - 1].1,
                widthMM: 30)
            for resolved in try placement.resolve(bytes, aspectRatio: SignFixtures.sealPicture.aspectRatio) {
                var request = SignFixtures.request(try SignFixtures.rsaSigner())
                request.placement = resolved
                bytes = try PDFStamper(request).stamp(bytes)
            }
        }
        let file = try SignFixtures.write(bytes, name: "keyword.pdf")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        for page in 1...3 {
            let prefix = file.deletingLastPathComponent().appendingPathComponent("p\(page)").path
            let result = try TestEnvironment.run(
                pdftoppm, ["-r", "72", "-cropbox", "-f", "\(page)", "-l", "\(page)", "-singlefile", file.path, prefix])
            try #require(result.status == 0, "pdftoppm: \(result.stderr)")
            let image = try PPM(Array(try Data(contentsOf: URL(fileURLWithPath: prefix + ".ppm"))))
            let red = try #require(image.redBounds(), "no red seal pixels on page \(page)")
            let k = 25.4 / 72
            let centre = ((red.minX + red.maxX + 1) / 2 * k, (Double(image.height) - (red.minY + red.maxY + 1) / 2) * k)
            let expected = (boxes[page - 1].centreMM.x + offsets[page - 1].0, boxes[page - 1].centreMM.y + offsets[page - 1].1)
            #expect(
                abs(centre.0 - expected.0) <= 2 && abs(centre.1 - expected.1) <= 2,
                "page \(page): red centre \(centre), keyword centre + offset \(expected)")
            // A 30 mm seal: the red area is about 30 mm wide (the picture has a margin).
            #expect((red.maxX - red.minX + 1) * k > 20 && (red.maxX - red.minX + 1) * k <= 31)
        }
        if let qpdf = PDFPeers.qpdf {
            #expect(try TestEnvironment.run(qpdf, ["--check", file.path]).status == 0)
        }
        if let pdfsig = PDFPeers.pdfsig {
            let result = try TestEnvironment.run(pdfsig, [file.path])
            #expect(result.stdout.components(separatedBy: "Signature is Valid").count - 1 == 3, "\(result.stdout)")
        }
        if PDFPeers.pyhanko != nil {
            let root = try SignFixtures.rootPEM()
            let validation = try PDFPeers.pyhankoValidate(file, trust: root)
            // The last seal is untouched; the earlier ones were extended by the later seals' updates only.
            #expect(validation.lines.count == 3, "\(validation.lines) \(validation.stderr)")
            #expect(validation.lines.last?.hasSuffix("INTACT:TRUSTED,UNTOUCHED") == true)
            #expect(validation.lines.dropLast().allSatisfy {
                $0.hasSuffix("INTACT:TRUSTED,EXTENDED_WITH_FORM_FILLING,ACCEPTABLE_MODIFICATIONS")
            })
        }
    }
}

/// A binary PPM (P6) image as pdftoppm writes it.
struct PPM {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    init(_ data: [UInt8]) throws {
        var fields: [String] = []
        var index = 0
        var current = ""
        while fields.count < 4, index < data.count {
            let byte = data[index]
            index += 1
            if byte == UInt8(ascii: "#") {
                while index < data.count, data[index] != 10 { index += 1 }
            } else if byte == 32 || byte == 10 || byte == 13 || byte == 9 {
                if !current.isEmpty { fields.append(current); current = "" }
            } else {
                current.append(Character(Unicode.Scalar(byte)))
            }
        }
        guard fields.count == 4, fields[0] == "P6", let width = Int(fields[1]), let height = Int(fields[2]),
            data.count >= index + width * height * 3
        else { throw PDFError(.malformed, "not a P6 PPM") }
        self.width = width
        self.height = height
        pixels = Array(data[index..<(index + width * height * 3)])
    }

    /// The bounding box of clearly red pixels (seal ink), in pixels.
    func redBounds() -> (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
        for y in 0..<height {
            for x in 0..<width {
                let offset = (y * width + x) * 3
                let r = Int(pixels[offset]), g = Int(pixels[offset + 1]), b = Int(pixels[offset + 2])
                guard r > 150, g < 110, b < 110 else { continue }
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        guard maxX >= 0 else { return nil }
        return (Double(minX), Double(minY), Double(maxX), Double(maxY))
    }
}
