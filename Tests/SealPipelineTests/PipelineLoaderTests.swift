import Foundation
import SealPipeline
import SealTestSupport
import Testing

@Suite struct PipelineLoaderTests {
    @Test func shippedPipelinesLoad() throws {
        let directory = TestEnvironment.repositoryRoot.appendingPathComponent("Pipelines")
        let pipelines = try PipelineLoader.loadDirectory(directory)
        let licence = try #require(pipelines["business-licence"])
        #expect(licence.seal == "demo-bureau-official")
        #expect(licence.placements == [Placement(pages: .last, xMM: 135, yMM: 30, widthMM: 40)])
        #expect(licence.pdfFormat == .padesBB)
        #expect(licence.ofdFormat == .sesV4)
        let customs = try #require(pipelines["customs-declaration"])
        #expect(customs.lock && !customs.lockPDF)
        #expect(customs.pdfFormat == .sm2)
        #expect(customs.placements.first?.pageNumbers(pageCount: 3) == [1, 2, 3])
    }

    @Test func everyProblemIsReportedWithItsLine() {
        let yaml = """
            name: Bad Name
            seal: s
            placements:
              - page: zero
                x_mm: -3
                y_mm: 10
                colour: red
            formats:
              pdf: pades-b-x
            tsa: not a url
            """
        #expect {
            _ = try PipelineLoader.load(yaml: yaml, source: "bad.yaml")
        } throws: { error in
            guard let problems = error as? PipelineProblems else { return false }
            let text = problems.description
            return problems.problems.count == 6
                && text.contains("bad.yaml:1:1: name must be lower-case")
                && text.contains("bad.yaml:4:5: page must be a number")
                && text.contains("bad.yaml:5:5: 'x_mm' must be at least 0")
                && text.contains("bad.yaml:7:5: unknown key 'colour'")
                && text.contains("bad.yaml:9:3: unknown PDF format 'pades-b-x'")
                && text.contains("bad.yaml:10:1: tsa must be an http(s) URL")
        }
    }

    @Test func syntaxErrorsCarryAPosition() {
        #expect {
            _ = try PipelineLoader.load(yaml: "name: a\nseal: [unclosed\n", source: "x.yaml")
        } throws: { error in
            guard let problems = error as? PipelineProblems, let first = problems.problems.first else { return false }
            return first.line != nil && first.message.hasPrefix("YAML syntax")
        }
    }

    @Test func missingRequiredKeysAreNamed() {
        #expect {
            _ = try PipelineLoader.load(yaml: "description: nothing else\n")
        } throws: { error in
            let text = (error as? PipelineProblems)?.description ?? ""
            return text.contains("needs 'name'") && text.contains("needs 'seal'") && text.contains("needs 'placements'")
        }
    }

    @Test func pagesResolveAgainstTheDocument() {
        #expect(Placement(pages: .page(5), xMM: 0, yMM: 0).pageNumbers(pageCount: 3) == [])
        #expect(Placement(pages: .last, xMM: 0, yMM: 0).pageNumbers(pageCount: 3) == [3])
        #expect(Placement(pages: .first, xMM: 0, yMM: 0).pageNumbers(pageCount: 0) == [])
    }
}

/// The one rule set `pipeline check` and the worker share, and the placement geometry both engines use.
@Suite struct PipelineValidationTests {
    private static let placement = "seal: s\nplacements:\n  - page: every\n    x_mm: 10\n    y_mm: 10\n"

    @Test func lockTrueWithSeveralPDFSignaturesIsAProblemAndLockOFDIsNot() throws {
        #expect(throws: PipelineProblems.self) { try PipelineLoader.load(yaml: "name: a\n" + Self.placement + "lock: true\n") }
        let ofdOnly = try PipelineLoader.load(yaml: "name: a\n" + Self.placement + "lock: ofd\nallow_repair: true\n")
        #expect(ofdOnly.lock && !ofdOnly.lockPDF && ofdOnly.allowRepair)
        let single = try PipelineLoader.load(
            yaml: "name: b\nseal: s\nplacements:\n  - page: last\n    x_mm: 1\n    y_mm: 1\nlock: true\n")
        #expect(single.lock && single.lockPDF && !single.allowRepair)
        #expect(throws: PipelineProblems.self) { try PipelineLoader.load(yaml: "name: a\n" + Self.placement + "lock: maybe\n") }
    }

    @Test func duplicateNamesAreAProblemOfTheLaterFile() throws {
        let directory = try TestEnvironment.temporaryDirectory("pipeline-validation")
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["a.yaml", "b.yaml"] {
            try Data(("name: same\n" + Self.placement).utf8).write(to: directory.appendingPathComponent(name))
        }
        let result = PipelineValidation.validate(files: PipelineValidation.files(in: directory))
        #expect(!result.isValid)
        #expect(result.pipelines.count == 1)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.source.hasSuffix("b.yaml") == true)
        #expect(result.problems.first?.description.contains("duplicate pipeline name 'same'") == true)
        #expect(throws: PipelineProblems.self) { try PipelineLoader.loadDirectory(directory) }
    }

    @Test func pageSelectionsMatchTheCommandLine() {
        #expect(PageSelection.parse("every") == [.every])
        #expect(PageSelection.parse("LAST") == [.last])
        #expect(PageSelection.parse("2-4") == [.page(2), .page(3), .page(4)])
        for bad in ["0", "-1", "4-2", "x", "1-", ""] { #expect(PageSelection.parse(bad) == nil, "\(bad)") }
    }
}
