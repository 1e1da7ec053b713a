import Foundation
import SealPDF
import SealTestSupport
import Testing

/// `sealpress locate` end to end through the built binary.
@Suite struct LocateCommandTests {
    @Test func locatePrintsMatchesAsJSONAndFailsOnMissingKeywords() throws {
        let binary = try #require(TestBinaries.sealpress, "build with `swift build --build-tests` first")
        let (directory, file) = try PDFFixture.temporaryFile(TextLocatorTests.handBuilt(), name: "template.pdf")
        defer { try? FileManager.default.removeItem(at: directory) }

        let found = try TestEnvironment.run(binary, ["locate", file.path, "--keyword", "盖章处", "--pages", "1-3", "--json"])
        #expect(found.status == 0, "\(found.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any])
        let matches = try #require(json["matches"] as? [[String: Any]])
        #expect(matches.compactMap { $0["page"] as? Int } == [1, 2, 3])
        let library = try PDFTextLocator(document: try PDFDocument(bytes: TextLocatorTests.handBuilt()))
            .find(["盖章处"], pages: 1...1)[0].box
        let x = try #require(matches.first?["x_mm"] as? Double)
        #expect(abs(x - library.xMM) < 0.01)
        #expect((json["not_found"] as? [String]) == [])

        let missing = try TestEnvironment.run(binary, ["locate", file.path, "--keyword", "甲方", "--keyword", "乙方"])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("乙方\tnot found"))
        #expect(missing.stdout.contains("甲方\tpage 1"))

        let bad = try TestEnvironment.run(binary, ["locate", file.path, "--keyword", "x", "--pages", "5-2"])
        #expect(bad.status != 0 && bad.stderr.contains("--pages"))
    }

    /// OFD through the same command: the box comes out in bottom-left millimetres. Expected from the receipt's XML:
    /// TextObject Boundary "148.1667 29.6018 16.7331 4.1621" on a page whose PhysicalBox is 147.0201 mm tall.
    @Test func locateReadsOFDInBottomLeftMillimetres() throws {
        let binary = try #require(TestBinaries.sealpress, "build with `swift build --build-tests` first")
        let file = TestEnvironment.repositoryRoot.appendingPathComponent("Tests/SealOFDTests/Fixtures/corpus/bank_receipt_1.ofd")
        let result = try TestEnvironment.run(binary, ["locate", file.path, "--keyword", "签发日期", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let match = try #require((json["matches"] as? [[String: Any]])?.first)
        let x = try #require(match["x_mm"] as? Double), y = try #require(match["y_mm"] as? Double)
        #expect(abs(x - 148.1667) < 0.05)
        let boundaryBottom = 147.0201 - 29.6018 - 4.1621
        #expect(y >= boundaryBottom - 0.05 && y < boundaryBottom + 1)
    }
}
