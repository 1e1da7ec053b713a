public import SealOFD
public import SealPDF

/// Turns placements measured in millimetres from the page's bottom-left corner (the one convention of the CLI and
/// of pipelines) into each engine's own placements.
public enum PlacementGeometry {
    /// The seal's drawn size: the placement's, else the picture's own width (40 mm when it records none) with the
    /// picture's aspect ratio.
    public static func size(
        of placement: Placement, pictureWidthMM: Double, pictureHeightMM: Double
    ) -> (width: Double, height: Double) {
        let width = placement.widthMM ?? (pictureWidthMM > 0 ? pictureWidthMM : 40)
        let height = placement.heightMM
            ?? (pictureWidthMM > 0 && pictureHeightMM > 0 ? width * pictureHeightMM / pictureWidthMM : width)
        return (width, height)
    }

    /// OFD placements, one per covered page. OFD page space runs from the top-left corner of the page's physical
    /// box (`PhysicalBox`/`Area`), so the seal's top edge is `box.y + box.height − y − height`.
    public static func ofdPlacements(
        _ placements: [Placement], pages: [OFDPage], pictureWidthMM: Double, pictureHeightMM: Double
    ) -> [OFDStampPlacement] {
        var result: [OFDStampPlacement] = []
        for placement in placements {
            let (width, height) = size(of: placement, pictureWidthMM: pictureWidthMM, pictureHeightMM: pictureHeightMM)
            for number in placement.pageNumbers(pageCount: pages.count) {
                let box = pages[number - 1].physicalBox
                result.append(OFDStampPlacement(
                    page: .number(number), xMM: box.xMM + placement.xMM,
                    yMM: box.yMM + box.heightMM - placement.yMM - height, widthMM: width, heightMM: height))
            }
        }
        return result
    }

    /// PDF placements (one signature each), in the PDF engine's own bottom-left convention. `pageCount` is asked
    /// only when a placement covers every page.
    public static func pdfPlacements(
        _ placements: [Placement], pageCount: () throws -> Int
    ) rethrows -> [PDFPlacement] {
        var result: [PDFPlacement] = []
        for placement in placements {
            let pages: [PDFPlacement.Page]
            switch placement.pages {
            case .last: pages = [.last]
            case .first: pages = [.number(1)]
            case .page(let n): pages = [.number(n)]
            case .every: pages = placement.pageNumbers(pageCount: try pageCount()).map { .number($0) }
            }
            for page in pages {
                result.append(PDFPlacement(
                    page: page, xMM: placement.xMM, yMM: placement.yMM, widthMM: placement.widthMM,
                    heightMM: placement.heightMM))
            }
        }
        return result
    }
}
