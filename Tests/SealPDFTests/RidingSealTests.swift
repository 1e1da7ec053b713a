import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing

@testable import SealPDF

/// Riding seals (骑缝章): one signature, one widget per selected page showing its slice of the seal picture.
@Suite struct RidingSealTests {
    /// The slices' shares add up to the whole picture; bad options are typed errors.
    @Test func slicesCoverTheWholePicture() throws {
        let sizes = Array(repeating: (width: 595.0, height: 842.0), count: 5)
        let riding = PDFRidingSeal(edge: .right, pages: .range(1...4), firstPageShare: 0.4, widthMM: 40)
        let slices = try riding.slices(displayedSizes: sizes, aspectRatio: 1)
        #expect(slices.map(\.pageIndex) == [0, 1, 2, 3])
        let widths = slices.map { $0.placement.widthMM ?? 0 }
        #expect(abs(widths.reduce(0, +) - 40) < 1e-9 && abs(widths[0] - 16) < 1e-9)
        // Each slice touches the right edge and shows the part of the picture after the previous slices.
        for (index, slice) in slices.enumerated() {
            #expect(abs(slice.placement.xMM + widths[index] - 595 / PDFPlacement.pointsPerMM) < 1e-9)
            let before = widths[..<index].reduce(0, +) * PDFPlacement.pointsPerMM
            #expect(abs(slice.imageOffset.x + before) < 1e-9)
        }
        let odd = try PDFRidingSeal(edge: .top, pages: .odd, slices: 2).slices(displayedSizes: sizes, aspectRatio: 1)
        #expect(odd.map(\.pageIndex) == [0, 2, 4])
        #expect(PDFRidingSeal.Pages("2-4") == .range(2...4) && PDFRidingSeal.Pages("4-2") == nil)
        #expect(throws: PDFStampError(.noSuchPage, "")) {
            try PDFRidingSeal(edge: .left, pages: .range(2...9)).slices(displayedSizes: sizes, aspectRatio: 1)
        }
        #expect(throws: PDFStampError(.badPlacement, "")) {
            try PDFRidingSeal(edge: .left, pages: .range(1...2), slices: 3).slices(
                displayedSizes: sizes, aspectRatio: 1)
        }
        #expect(throws: PDFStampError(.badPlacement, "")) {
            try PDFRidingSeal(edge: .left, firstPageShare: 1.5).slices(displayedSizes: sizes, aspectRatio: 1)
        }
    }

    /// A signed 14-page document gets a riding seal on pages 1–4 (right edge) and, in a second run, on the odd
    /// pages 1–7 (top edge): pdftoppm shows red slices at the chosen edge of every selected page and none on the
    /// others, the slices' red parts join into the whole seal, and every signature stays valid for the peers.
    @Test(.peerExecutable("pdftoppm")) func renderedSlicesSitOnTheEdgeAndSignaturesStayValid() throws {
        guard TestEnvironment.peerAvailable("pdftoppm", TestEnvironment.executable("pdftoppm") != nil) else { return }
        let pdftoppm = try #require(TestEnvironment.executable("pdftoppm"))
        // An existing (invisible) signature first.
        var first = SignFixtures.request(try SignFixtures.rsaSigner(), visible: false)
        first.fieldName = "Existing"
        var bytes = try PDFStamper(first).stamp(try SignFixtures.corpus("pdfjs-tracemonkey.pdf"))

        for riding in [
            PDFRidingSeal(edge: .right, pages: .range(1...4), widthMM: 40),
            PDFRidingSeal(edge: .top, pages: .odd, slices: 2, marginMM: 5, firstPageShare: 0.6, widthMM: 30),
        ] {
            var request = SignFixtures.request(try SignFixtures.rsaSigner())
            request.placement = nil
            request.riding = riding
            bytes = try PDFStamper(request).stamp(bytes)
        }
        let file = try SignFixtures.write(bytes, name: "riding.pdf")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }

        // The last seal's widgets: one field, 7 kids (odd pages 1–13), slice heights add up per group of 2.
        let document = try PDFDocument(bytes: bytes)
        let form = try SignatureFormState(document: document)
        let field = try #require(try document.resolve(form.fields.last ?? .null).dictionaryValue)
        #expect(field["FT"]?.nameValue == "Sig" && field["Kids"]?.arrayValue?.count == 7)

        let k = 25.4 / 72
        func render(_ page: Int) throws -> PPM {
            let prefix = file.deletingLastPathComponent().appendingPathComponent("p\(page)").path
            let result = try TestEnvironment.run(
                pdftoppm, ["-r", "72", "-cropbox", "-f", "\(page)", "-l", "\(page)", "-singlefile", file.path, prefix])
            try #require(result.status == 0, "pdftoppm: \(result.stderr)")
            return try PPM(Array(try Data(contentsOf: URL(fileURLWithPath: prefix + ".ppm"))))
        }
        // Right edge, pages 1–4, four 10 mm slices: map each page's red x-range back into the picture.
        var covered: [(Double, Double)] = []
        for page in 1...14 {
            let image = try render(page)
            let red = image.redBounds()
            let onRight = page <= 4
            let onTop = page % 2 == 1
            guard onRight || onTop else {
                #expect(red == nil, "page \(page) carries no slice but shows red pixels")
                continue
            }
            let found = try #require(red, "no red slice on page \(page)")
            let width = Double(image.width) * k
            if onRight {
                let rightBand = try #require(image.redBounds(xRange: Int((width - 12) / k)..<image.width))
                #expect(
                    Double(image.width) - (rightBand.maxX + 1) <= 1.5 / k, "page \(page): slice not at the right edge")
                let start = width - 10  // the slice's left side in mm
                covered.append(
                    (
                        (rightBand.minX * k - start) + Double(page - 1) * 10,
                        ((rightBand.maxX + 1) * k - start) + Double(page - 1) * 10
                    ))
            }
            if onTop {
                let topBand = try #require(
                    image.redBounds(yRange: 0..<Int(30 / k)), "page \(page): no slice at the top")
                // 5 mm margin from the top edge; the slice is 18 mm (share 0.6) or 12 mm high.
                #expect(topBand.minY * k >= 4.5, "page \(page): slice crosses the margin")
                #expect(topBand.maxY * k <= 5 + 18.5, "page \(page): slice too far from the top edge")
            }
            if !onRight { #expect(found.maxX * k < width - 15, "page \(page): red on the right edge") }
        }
        // The four slices join into the whole seal: their red intervals overlap or touch, spanning > 30 mm.
        covered.sort { $0.0 < $1.0 }
        #expect(covered.count == 4)
        for index in covered.indices.dropFirst() {
            #expect(covered[index].0 <= covered[index - 1].1 + 0.8, "gap between slices: \(covered)")
        }
        #expect((covered.last?.1 ?? 0) - (covered.first?.0 ?? 0) > 30, "\(covered)")

        if let qpdf = PDFPeers.qpdf {
            #expect(try TestEnvironment.run(qpdf, ["--check", file.path]).status == 0)
        }
        if let pdfsig = PDFPeers.pdfsig {
            let output = try PDFPeers.pdfsigOutput(file)
            #expect(output.components(separatedBy: "Signature is Valid").count - 1 == 3, "\(output)")
        }
        if PDFPeers.pyhanko != nil {
            let validation = try PDFPeers.pyhankoValidate(file, trust: try SignFixtures.rootPEM())
            #expect(validation.lines.count == 3, "\(validation.lines) \(validation.stderr)")
            #expect(validation.lines.last?.hasSuffix("INTACT:TRUSTED,UNTOUCHED") == true, "\(validation.lines)")
            #expect(validation.lines.dropLast().allSatisfy { $0.contains("INTACT:TRUSTED") }, "\(validation.lines)")
        }
        // Our own verifier agrees.
        let report = PDFVerifier.verify(bytes, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
        #expect(report.signatures.count == 3)
        #expect(report.indication == .passed, "\(report.signatures.map(\.checks))")
    }
}

extension RidingSealTests {
    /// Edges are those of the page as displayed: on an upright page, a /Rotate 90 page and a /Rotate 180 page with a
    /// CropBox offset, the slice sits against the displayed right edge, centred vertically.
    @Test(.peerExecutable("pdftoppm")) func slicesFollowRotationAndCropBox() throws {
        guard TestEnvironment.peerAvailable("pdftoppm", TestEnvironment.executable("pdftoppm") != nil) else { return }
        let pdftoppm = try #require(TestEnvironment.executable("pdftoppm"))
        var request = SignFixtures.request(try SignFixtures.rsaSigner())
        request.placement = nil
        request.riding = PDFRidingSeal(edge: .right, pages: .range(1...3), widthMM: 30)
        let bytes = try PDFStamper(request).stamp(TextLocatorTests.handBuilt())
        let file = try SignFixtures.write(bytes, name: "riding-rotated.pdf")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let k = 25.4 / 72
        for page in 1...3 {
            let prefix = file.deletingLastPathComponent().appendingPathComponent("p\(page)").path
            let result = try TestEnvironment.run(
                pdftoppm, ["-r", "72", "-cropbox", "-f", "\(page)", "-l", "\(page)", "-singlefile", file.path, prefix])
            try #require(result.status == 0, "pdftoppm: \(result.stderr)")
            let image = try PPM(Array(try Data(contentsOf: URL(fileURLWithPath: prefix + ".ppm"))))
            let red = try #require(image.redBounds(), "no red slice on page \(page)")
            #expect(
                (Double(image.width) - red.maxX - 1) * k <= 1.5, "page \(page): slice not at the displayed right edge")
            #expect((Double(image.width) - red.minX) * k <= 11, "page \(page): slice wider than its 10 mm")
            let centreY = (red.minY + red.maxY + 1) / 2 * k
            #expect(abs(centreY - Double(image.height) * k / 2) <= 3, "page \(page): slice not centred vertically")
        }
        if let pdfsig = PDFPeers.pdfsig {
            let output = try PDFPeers.pdfsigOutput(file)
            #expect(output.components(separatedBy: "Signature is Valid").count - 1 == 1, "\(output)")
        }
    }
}

extension PPM {
    /// The red bounds restricted to a band of columns or rows.
    func redBounds(xRange: Range<Int>? = nil, yRange: Range<Int>? = nil) -> (
        minX: Double, minY: Double, maxX: Double, maxY: Double
    )? {
        var minX = Int.max
        var minY = Int.max
        var maxX = -1
        var maxY = -1
        for y in (yRange ?? 0..<height).clamped(to: 0..<height) {
            for x in (xRange ?? 0..<width).clamped(to: 0..<width) {
                let offset = (y * width + x) * 3
                let r = Int(pixels[offset])
                let g = Int(pixels[offset + 1])
                let b = Int(pixels[offset + 2])
                guard r > 150, g < 110, b < 110 else { continue }
                minX = min(minX, x)
                maxX = max(maxX, x)
                minY = min(minY, y)
                maxY = max(maxY, y)
            }
        }
        guard maxX >= 0 else { return nil }
        return (Double(minX), Double(minY), Double(maxX), Double(maxY))
    }
}
