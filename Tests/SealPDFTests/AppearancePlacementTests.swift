import Testing

@testable import SealPDF

/// Placement maths: millimetres on the displayed page → widget rectangle in user space.
@Suite struct AppearancePlacementTests {
    let a4 = [0.0, 0.0, 595.276, 841.89]

    @Test func bottomLeftMillimetresOnAnUnrotatedPage() throws {
        let g = try PlacementGeometry.compute(
            PDFPlacement(xMM: 120, yMM: 40, widthMM: 40), cropBox: a4, rotate: 0, aspectRatio: 1)
        let k = 72 / 25.4
        #expect(abs(g.rect[0] - 120 * k) < 1e-6 && abs(g.rect[1] - 40 * k) < 1e-6)
        #expect(abs(g.rect[2] - 160 * k) < 1e-6 && abs(g.rect[3] - 80 * k) < 1e-6)
        #expect(g.matrix == [1, 0, 0, 1, 0, 0])
    }

    /// Any Double a user types is refused with the placement error, the figure quoted: `--x-mm 1e300` trapped
    /// while the message was written.
    @Test(arguments: [1e300, -1e300, Double.infinity, -Double.infinity, Double.nan, 1e16])
    func anAbsurdPositionIsAPlacementError(_ x: Double) {
        for placement in [PDFPlacement(xMM: x, yMM: 40, widthMM: 40), PDFPlacement(xMM: 20, yMM: x, widthMM: 40)] {
            #expect(throws: PDFStampError.self) {
                try PlacementGeometry.compute(placement, cropBox: a4, rotate: 0, aspectRatio: 1)
            }
        }
    }

    @Test func cropBoxOffsetAndTopLeftOrigin() throws {
        let g = try PlacementGeometry.compute(
            PDFPlacement(xMM: 0, yMM: 0, widthMM: 20, heightMM: 10, origin: .topLeft),
            cropBox: [100, 200, 400, 600], rotate: 0, aspectRatio: 2)
        let k = 72 / 25.4
        #expect(abs(g.rect[0] - 100) < 1e-6 && abs(g.rect[3] - 600) < 1e-6)
        #expect(abs(g.rect[1] - (600 - 10 * k)) < 1e-6)
    }

    @Test(arguments: [90, 180, 270, -90])
    func rotatedPagesKeepTheSealUprightAndOnTheDisplayedSpot(_ rotate: Int) throws {
        // A seal at the displayed bottom-left corner must land on the user-space corner a reader shows there.
        let g = try PlacementGeometry.compute(
            PDFPlacement(xMM: 0, yMM: 0, widthMM: 30, heightMM: 10), cropBox: a4, rotate: rotate, aspectRatio: 3)
        let k = 72 / 25.4
        let w = g.rect[2] - g.rect[0], h = g.rect[3] - g.rect[1]
        switch (rotate % 360 + 360) % 360 {
        case 90:
            #expect(abs(g.rect[2] - a4[2]) < 1e-6 && abs(g.rect[1]) < 1e-6)  // displayed bottom-left = user bottom-right
            #expect(abs(w - 10 * k) < 1e-6 && abs(h - 30 * k) < 1e-6)
            #expect(g.matrix == [0, 1, -1, 0, 0, 0])
        case 180:
            #expect(abs(g.rect[2] - a4[2]) < 1e-6 && abs(g.rect[3] - a4[3]) < 1e-6)
            #expect(g.matrix == [-1, 0, 0, -1, 0, 0])
        default:
            #expect(abs(g.rect[0]) < 1e-6 && abs(g.rect[3] - a4[3]) < 1e-6)  // user top-left
            #expect(abs(w - 10 * k) < 1e-6)
            #expect(g.matrix == [0, -1, 1, 0, 0, 0])
        }
        #expect(abs(g.boxWidth - 30 * k) < 1e-6 && abs(g.boxHeight - 10 * k) < 1e-6)
    }

    @Test func sealOutsideThePageIsRefused() {
        #expect(throws: PDFStampError(.badPlacement, "")) {
            try PlacementGeometry.compute(PDFPlacement(xMM: 190, yMM: 40, widthMM: 40), cropBox: a4, rotate: 0, aspectRatio: 1)
        }
        #expect(throws: PDFStampError(.badPlacement, "")) {
            try PlacementGeometry.compute(PDFPlacement(xMM: 10, yMM: 10, widthMM: 0), cropBox: a4, rotate: 0, aspectRatio: 1)
        }
    }
}
