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
