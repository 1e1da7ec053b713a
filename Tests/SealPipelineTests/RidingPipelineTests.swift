import Foundation
import SealCrypto
import SealOFD
import SealPDF
import SealReport
import SealTestSupport
import Testing

@testable import SealPipeline

/// Riding-seal (骑缝章) placements in pipeline YAML and through the stamp engine, for PDF and OFD.
@Suite struct RidingPipelineTests {
    @Test func ridingPlacementsLoadAndTheirProblemsAreReported() throws {
        let shipped = try PipelineLoader.loadDirectory(
            TestEnvironment.repositoryRoot.appendingPathComponent("Pipelines"))
        #expect(
            shipped["contract-riding"]?.placements == [
                Placement(
                    pages: .last, xMM: 0, yMM: 0, widthMM: 40, riding: RidingAnchor(edge: .right))
            ])
        let good = try PipelineLoader.load(
            yaml: """
                name: rd
                seal: s
                placements:
                  - riding: right
                    pages: odd
                    slices: 2
                    margin_mm: 3
                    first_page_share: 0.4
                    width_mm: 30
                """)
        #expect(
            good.placements == [
                Placement(
                    pages: .last, xMM: 0, yMM: 0, widthMM: 30,
                    riding: RidingAnchor(edge: .right, pages: .odd, slices: 2, marginMM: 3, firstPageShare: 0.4))
            ])
        #expect(
            try PipelineLoader.load(yaml: "name: rd\nseal: s\nplacements:\n  - riding: top\n    pages: 2-4\n")
                .placements.first?.riding == RidingAnchor(edge: .top, pages: .range(2...4)))
        #expect {
            _ = try PipelineLoader.load(
                yaml: """
                    name: rd
                    seal: s
                    placements:
                      - riding: middle
                        pages: 5-2
                        slices: 0
                        first_page_share: 1.5
                        x_mm: 3
                    """, source: "rd.yaml")
        } throws: { error in
            let text = (error as? PipelineProblems)?.description ?? ""
            return text.contains("rd.yaml:4:5: 'riding' must be") && text.contains("rd.yaml:5:5: 'pages' must be")
                && text.contains("rd.yaml:6:5: 'slices' must be")
                && text.contains("rd.yaml:7:5: 'first_page_share' must be")
                && text.contains("rd.yaml:8:5: a riding placement takes no 'x_mm'")
        }
    }

    @Test func pdfRidingSealIsOneSignatureWithAWidgetPerPage() throws {
        let input = SampleDocuments.pdf(pages: 3, title: "Contract")
        let placement = Placement(pages: .last, xMM: 0, yMM: 0, widthMM: 30, riding: RidingAnchor(edge: .right))
        let (output, signatures) = try KeywordPipelineTests.engine(placement, ofd: false).stamp(input, format: .pdf)
        #expect(signatures.count == 1)
        let centres = try KeywordPipelineTests.widgetCentres(output)
        #expect(centres.map(\.page) == [1, 2, 3])
        let report = PDFVerifier.verify(output, options: PDFVerifyOptions(trust: KeywordPipelineTests.pki.trustStore))
        #expect(report.signatures.count == 1 && report.indication == .passed, "\(report.signatures.map(\.checks))")
    }

    @Test func ofdRidingSealIsOneSignatureWithAClipPerPage() throws {
        let input = try SampleDocuments.ofd(pages: 2)
        let placement = Placement(
            pages: .last, xMM: 0, yMM: 0, widthMM: 30, heightMM: 30, riding: RidingAnchor(edge: .left, marginMM: 2))
        let (output, _) = try KeywordPipelineTests.engine(placement, ofd: true).stamp(input, format: .ofd)
        let package = try OFDPackage(output)
        let path = "Doc_0/Signs/Sign_0/Signature.xml"
        let annotations = try OFDSignatureFile(path: path, bytes: package.read(path)).stampAnnotations
        #expect(annotations.count == 2)
        #expect(
            annotations.map(\.clip) == [
                OFDBox(xMM: 0, yMM: 0, widthMM: 15, heightMM: 30), OFDBox(xMM: 15, yMM: 0, widthMM: 15, heightMM: 30),
            ])
        // Left edge, 2 mm margin: page 1 shows the left half at x 2, page 2 the right half at x 2 (boundary at −13).
        #expect(annotations.first?.boundary?.xMM == 2)
        #expect(annotations.last?.boundary?.xMM == -13)
        #expect(OFDVerifier.verify(output, trust: KeywordPipelineTests.pki.trustStore).verdict.indication == .passed)
        // The independent checker agrees (skipped visibly without ../shared/tools/ofdverify.py).
        let directory = try TestEnvironment.temporaryDirectory("riding-ofdverify")
        defer { try? FileManager.default.removeItem(at: directory) }
        try PipelineEndToEndTests.ofdVerify([output], in: directory)
    }
}
