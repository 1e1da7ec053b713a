/// Turns a ``PDFPlacement`` into a widget rectangle in the page's default user space and the matrix that keeps
/// the seal upright on rotated pages.
struct PlacementGeometry: Equatable {
    /// The widget /Rect: [llx lly urx ury] in user-space points.
    var rect: [Double]
    /// The appearance stream's /BBox size in points, in displayed orientation (width, height).
    var boxWidth: Double
    var boxHeight: Double
    /// The appearance /Matrix [a b c d e f] compensating the page rotation.
    var matrix: [Double]

    /// - Parameters:
    ///   - cropBox: the page's visible area [llx lly urx ury] (CropBox, or MediaBox without one).
    ///   - rotate: the page's /Rotate (any multiple of 90, negative allowed).
    ///   - aspectRatio: width / height of the picture, used when the placement gives no height.
    static func compute(
        _ placement: PDFPlacement, cropBox: [Double], rotate: Int, aspectRatio: Double
    ) throws -> PlacementGeometry {
        guard cropBox.count == 4 else { throw PDFStampError(.badPlacement, "the page has no usable CropBox/MediaBox") }
        let llx = min(cropBox[0], cropBox[2]), urx = max(cropBox[0], cropBox[2])
        let lly = min(cropBox[1], cropBox[3]), ury = max(cropBox[1], cropBox[3])
        let quarterTurns = ((rotate / 90) % 4 + 4) % 4
        let displayedWidth = quarterTurns % 2 == 0 ? urx - llx : ury - lly
        let displayedHeight = quarterTurns % 2 == 0 ? ury - lly : urx - llx

        let k = PDFPlacement.pointsPerMM
        let width = (placement.widthMM ?? placement.heightMM.map { $0 * aspectRatio } ?? PDFPlacement.defaultWidthMM) * k
        let height = (placement.heightMM ?? (width / k) / max(aspectRatio, 1e-9)) * k
        guard width > 0, height > 0, width.isFinite, height.isFinite else {
            throw PDFStampError(.badPlacement, "the seal size must be positive")
        }
        let dx = placement.xMM * k
        let dy = placement.origin == .bottomLeft ? placement.yMM * k : displayedHeight - placement.yMM * k - height
        guard dx >= -0.01, dy >= -0.01, dx + width <= displayedWidth + 0.01, dy + height <= displayedHeight + 0.01 else {
            throw PDFStampError(
                .badPlacement,
                "the seal (\(format(width / k))x\(format(height / k)) mm at \(format(placement.xMM)),\(format(placement.yMM)) mm) "
                    + "does not fit on the page (\(format(displayedWidth / k))x\(format(displayedHeight / k)) mm)")
        }

        func toUser(_ x: Double, _ y: Double) -> (Double, Double) {
            switch quarterTurns {
            case 1: (urx - y, lly + x)
            case 2: (urx - x, ury - y)
            case 3: (llx + y, ury - x)
            default: (llx + x, lly + y)
            }
        }
        let corners = [toUser(dx, dy), toUser(dx + width, dy + height)]
        let rect = [
            min(corners[0].0, corners[1].0), min(corners[0].1, corners[1].1),
            max(corners[0].0, corners[1].0), max(corners[0].1, corners[1].1),
        ]
        let matrix: [Double] =
            switch quarterTurns {
            case 1: [0, 1, -1, 0, 0, 0]
            case 2: [-1, 0, 0, -1, 0, 0]
            case 3: [0, -1, 1, 0, 0, 0]
            default: [1, 0, 0, 1, 0, 0]
            }
        return PlacementGeometry(rect: rect, boxWidth: width, boxHeight: height, matrix: matrix)
    }

    /// A millimetre figure for a message: whole numbers without ".0". Any Double may arrive here (a user's
    /// `--x-mm 1e300` or `inf` is what the message is about), so only values an Int holds are converted.
    private static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        guard rounded.isFinite, abs(rounded) < 1e15 else { return "\(value)" }
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
