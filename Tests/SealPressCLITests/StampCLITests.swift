import Foundation
import SealOFD
import SealTestSupport
import Testing

/// `sealpress stamp` as a user runs it: coordinates, pages, outputs, repair and JSON.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct StampCLITests {
    /// The four numbers of an `ST_Box` ("x y w h").
    private static func box(_ text: String) -> [Double] { text.split(separator: " ").compactMap { Double($0) } }

    private static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let range = text.range(of: pattern, options: .regularExpression) else { return nil }
        return String(text[range])
    }

    @Test func ofdPlacementIsMeasuredFromTheBottomLeftLikePDF() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("coordinates")
        let ofd = folder.appendingPathComponent("out.ofd").path
        let pdf = folder.appendingPathComponent("out.pdf").path
        let position = ["--page", "1", "--x-mm", "20", "--y-mm", "30", "--width-mm", "40", "--height-mm", "40"]
        let stampedOFD = try world.run(["stamp", world.sampleOFD, ofd] + world.signerArguments + position)
        #expect(stampedOFD.status == 0, "\(stampedOFD.stderr)")
        let stampedPDF = try world.run(["stamp", world.samplePDF, pdf] + world.signerArguments + position)
        #expect(stampedPDF.status == 0, "\(stampedPDF.stderr)")

        // OFD: StampAnnot Boundary is top-left page space: y = pageHeight − 30 − 40.
        let package = try OFDPackage(Array(try Data(contentsOf: URL(fileURLWithPath: ofd))))
        let document = try OFDDocument(package: package)
        let page = try #require(document.pages.first)
        let signatureXML = try #require(
            package.archive.filePaths.first { $0.hasSuffix("Signature.xml") })
        let text = String(decoding: try package.read(signatureXML), as: UTF8.self)
        let boundary = try #require(Self.firstMatch("Boundary=\"[^\"]+\"", in: text))
        let values = Self.box(String(boundary.dropFirst("Boundary=\"".count).dropLast()))
        let area = page.physicalBox
        #expect(values.count == 4)
        #expect(abs(values[0] - (area.xMM + 20)) < 0.01, "\(boundary) on \(area)")
        #expect(abs(values[1] - (area.yMM + area.heightMM - 30 - 40)) < 0.01, "\(boundary) on \(area)")
        #expect(abs(values[2] - 40) < 0.01 && abs(values[3] - 40) < 0.01)

        // PDF: the widget's /Rect is in points from the bottom-left: the same place on the page.
        let pdfText = String(decoding: try Data(contentsOf: URL(fileURLWithPath: pdf)), as: UTF8.self)
        let rect = try #require(Self.firstMatch("/Rect ?\\[[^\\]]+\\]", in: pdfText))
        let numbers = rect.drop { $0 != "[" }.dropFirst().dropLast().split(separator: " ").compactMap { Double($0) }
        let points = 72 / 25.4
        #expect(numbers.count == 4)
        #expect(abs(numbers[0] - 20 * points) < 0.1 && abs(numbers[1] - 30 * points) < 0.1, "\(rect)")
    }

    @Test func pageAcceptsEveryAndRangesLikePipelines() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("pages")
        let pdf = folder.appendingPathComponent("every.pdf").path
        let every = try world.run(["stamp", world.samplePDF, pdf, "--page", "every", "--json"] + world.signerArguments)
        #expect(every.status == 0, "\(every.stderr)")
        let pdfSummary = try every.stdout.jsonObject()
        #expect(pdfSummary["signatures"] as? Int == 3)
        #expect(pdfSummary["pages"] as? [Int] == [1, 2, 3])
        let verified = try world.run(["verify", pdf, "--trust", world.roots, "--json"])
        #expect(verified.status == 0, "\(verified.stdout)")
        #expect((try verified.stdout.jsonObject()["signatures"] as? [Any])?.count == 3)

        let ofd = folder.appendingPathComponent("range.ofd").path
        let range = try world.run(["stamp", world.sampleOFD, ofd, "--page", "2-3", "--json"] + world.signerArguments)
        #expect(range.status == 0, "\(range.stderr)")
        let ofdSummary = try range.stdout.jsonObject()
        #expect(ofdSummary["pages"] as? [Int] == [2, 3])
        #expect(ofdSummary["signatures"] as? Int == 1)
        let ofdVerified = try world.run(["verify", ofd, "--trust", world.roots])
        #expect(ofdVerified.status == 0, "\(ofdVerified.stdout)")
    }

    @Test(arguments: ["0", "x", "3-1", "-2", "1-"])
    func badPageIsAUsageError(_ page: String) throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("bad-page")
        let result = try world.run(
            ["stamp", world.samplePDF, folder.appendingPathComponent("o.pdf").path, "--page", page] + world.signerArguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--page"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("o.pdf").path))
    }

    @Test func lockWithSeveralPDFSignaturesIsRefused() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("lock")
        let result = try world.run(
            ["stamp", world.samplePDF, folder.appendingPathComponent("o.pdf").path, "--page", "every", "--lock"]
                + world.signerArguments)
        #expect(result.status == 3)
        #expect(result.stderr.contains("--lock"), "\(result.stderr)")
        Leaks.check(result.stderr)
    }

    @Test func existingOutputIsReplacedOnlyWithForce() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("force")
        for input in [world.samplePDF, world.sampleOFD] {
            let output = folder.appendingPathComponent("existing-" + URL(fileURLWithPath: input).lastPathComponent).path
            try Data("keep me".utf8).write(to: URL(fileURLWithPath: output))
            let refused = try world.run(["stamp", input, output] + world.signerArguments)
            #expect(refused.status == 3)
            #expect(refused.stderr.contains("--force"), "\(refused.stderr)")
            Leaks.check(refused.stderr)
            #expect(try String(contentsOfFile: output, encoding: .utf8) == "keep me")
            let forced = try world.run(["stamp", input, output, "--force"] + world.signerArguments)
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: output)).count > 100)
        }
        // A folder as OUT is a usage error, --force or not (it was "already exists; pass --force", then "cannot
        // write"); so is an OUT whose extension names the other format. Nothing is written.
        let sub = folder.appendingPathComponent("a-folder")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for extra in [[], ["--force"]] {
            let intoFolder = try world.run(["stamp", world.samplePDF, sub.path] + extra + world.signerArguments)
            #expect(intoFolder.status == 64 && intoFolder.stderr.contains("is a folder"), "\(intoFolder.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: sub.path).isEmpty)
        for (input, name) in [(world.sampleOFD, "declaration.pdf"), (world.samplePDF, "licence.ofd")] {
            let mismatched = try world.run(["stamp", input, folder.appendingPathComponent(name).path] + world.signerArguments)
            #expect(mismatched.status == 64, "\(name): \(mismatched.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
        }
        let samples = ["pipeline", "samples", "--out", folder.appendingPathComponent("samples").path, "--pdf", "1", "--ofd", "0"]
        #expect(try world.run(samples).status == 0)
        let again = try world.run(samples)
        #expect(again.status == 3)
        #expect(again.stderr.contains("--force"))
        #expect(try world.run(samples + ["--force"]).status == 0)
    }

    @Test func jsonSummaryHasTheSameTypedKeysForPDFAndOFD() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("json")
        var summaries: [[String: Any]] = []
        for (input, name) in [(world.samplePDF, "o.pdf"), (world.sampleOFD, "o.ofd")] {
            let result = try world.run(["stamp", input, folder.appendingPathComponent(name).path, "--json"] + world.signerArguments)
            #expect(result.status == 0, "\(result.stderr)")
            summaries.append(try result.stdout.jsonObject())
        }
        #expect(Set(summaries[0].keys) == Set(summaries[1].keys))
        #expect(summaries.map { $0["format"] as? String } == ["pdf", "ofd"])
        for summary in summaries {
            // JSONSerialization gives NSNumber for numbers and booleans, String for strings.
            #expect(summary["bytes"] is NSNumber && !(summary["bytes"] is String), "\(summary)")
            #expect(summary["visible"] as? Bool == true, "\(summary)")
            #expect(summary["lock"] as? Bool == false)
            #expect(summary["repaired"] as? Bool == false)
            #expect((summary["sha256"] as? String)?.count == 64)
        }

        // verify --json: one report type, the same top-level keys for both formats.
        let pdfReport = try world.run(["verify", folder.appendingPathComponent("o.pdf").path, "--json"]).stdout.jsonObject()
        let ofdReport = try world.run(["verify", folder.appendingPathComponent("o.ofd").path, "--json"]).stdout.jsonObject()
        #expect(Set(pdfReport.keys) == Set(ofdReport.keys))
        let signature = try #require((pdfReport["signatures"] as? [[String: Any]])?.first)
        let ofdSignature = try #require((ofdReport["signatures"] as? [[String: Any]])?.first)
        #expect(Set(signature.keys) == Set(ofdSignature.keys), "absent values are null, not missing keys")
        #expect(signature["sealName"] is NSNull)
        #expect(ofdSignature["sealName"] as? String == "测试章")
        #expect(signature["timestamped"] as? Bool == false)
    }

    @Test func aPDFNeedingRepairIsStampedOnlyWithAllowRepair() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("repair")
        // A sample PDF whose startxref points past the end of the file.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: world.samplePDF)))
        let text = String(decoding: bytes, as: UTF8.self)
        let marker = try #require(text.range(of: "startxref\n", options: .backwards))
        let start = text.utf8.distance(from: text.startIndex, to: marker.upperBound)
        let end = try #require(bytes[start...].firstIndex(of: UInt8(ascii: "\n")))
        bytes.replaceSubrange(start..<end, with: Array("99999999".utf8))
        let broken = folder.appendingPathComponent("broken.pdf")
        try Data(bytes).write(to: broken)
        let output = folder.appendingPathComponent("out.pdf").path

        let refused = try world.run(["stamp", broken.path, output] + world.signerArguments)
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("--allow-repair"), "\(refused.stderr)")
        Leaks.check(refused.stderr)
        #expect(!FileManager.default.fileExists(atPath: output))

        let repaired = try world.run(["stamp", broken.path, output, "--allow-repair", "--json"] + world.signerArguments)
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(try repaired.stdout.jsonObject()["repaired"] as? Bool == true)
        let text2 = try world.run(["stamp", broken.path, output, "--allow-repair", "--force"] + world.signerArguments)
        #expect(text2.stdout.contains("repaired") || text2.stdout.contains("rebuilt"), "\(text2.stdout)")
        let verified = try world.run(["verify", output, "--trust", world.roots])
        #expect(verified.status == 0, "\(verified.stdout)")
        // The repaired input was written out in full before signing: the damage is gone from the output (an update
        // on the broken bytes keeps them), and nothing is left for qpdf to repair.
        let signedText = String(decoding: try Data(contentsOf: URL(fileURLWithPath: output)), as: UTF8.self)
        let keepsDamage = signedText.contains("startxref\n99999999")
        #expect(!keepsDamage, "the broken startxref is still in the output")
        if TestEnvironment.peerAvailable("qpdf", TestEnvironment.executable("qpdf") != nil) {
            let checked = try TestEnvironment.run(TestEnvironment.executable("qpdf")!, ["--check", output])
            #expect(checked.status == 0, "qpdf --check: \(checked.stdout.suffix(400)) \(checked.stderr.suffix(400))")
        }
    }

    @Test func runtimeErrorsAreOneLineWithoutInternals() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("errors")
        let out = folder.appendingPathComponent("o.pdf").path
        // An encrypted demo key without its password (the demo PKI keys here are unencrypted: use a p12).
        let wrongPassword = try world.run([
            "stamp", world.samplePDF, out, "--seal", world.path("seal.esl"), "--key", world.path("pki/sm2-signer.p12"),
            "--key-password", "wrong",
        ])
        #expect(wrongPassword.status == 3)
        Leaks.check(wrongPassword.stderr)
        let missingInput = try world.run(["stamp", folder.appendingPathComponent("nope.pdf").path, out] + world.signerArguments)
        #expect(missingInput.status == 3)
        Leaks.check(missingInput.stderr)
        let notACertificate = try world.run(["verify", world.samplePDF, "--trust", world.path("seal.esl")])
        #expect(notACertificate.status == 3)
        Leaks.check(notACertificate.stderr)
        let badKey = try world.run(["stamp", world.samplePDF, out, "--seal", world.path("seal.esl"), "--key", world.roots, "--cert", world.roots])
        #expect(badKey.status == 3)
        Leaks.check(badKey.stderr)
        #expect(wrongPassword.stderr.contains("--key-password"), "\(wrongPassword.stderr)")
        // Off the page: told in the user's own bottom-left terms, not in OFD's top-left space.
        let offPage = try world.run(
            ["stamp", world.sampleOFD, folder.appendingPathComponent("o.ofd").path, "--y-mm", "900"] + world.signerArguments)
        #expect(offPage.status == 3)
        #expect(offPage.stderr.contains("--y-mm 900") && offPage.stderr.contains("bottom-left"), "\(offPage.stderr)")
        Leaks.check(offPage.stderr)
    }
}

/// `sealpress stamp --keyword`: the seal on the text, a typed refusal without it, the fallback position.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct StampKeywordCLITests {
    @Test func keywordPlacesTheSealOrRefusesOrFallsBack() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("keyword")
        let out = { (name: String) in folder.appendingPathComponent(name).path }
        let found = try world.run(
            ["stamp", world.samplePDF, out("kw.pdf"), "--keyword", "Generated by", "--pages", "2-3", "--occurrence",
             "last", "--offset-mm", "0,10", "--width-mm", "30", "--json"] + world.signerArguments)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(try found.stdout.jsonObject()["pages"] as? [Int] == [3])

        let missing = try world.run(["stamp", world.samplePDF, out("missing.pdf"), "--keyword", "登记机关"] + world.signerArguments)
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("not found") && missing.stderr.contains("sealpress locate"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out("missing.pdf")))

        let fallback = try world.run(
            ["stamp", world.samplePDF, out("fallback.pdf"), "--keyword", "登记机关", "--page", "1", "--x-mm", "20",
             "--y-mm", "20", "--json"] + world.signerArguments)
        #expect(fallback.status == 0, "\(fallback.stderr)")
        #expect(try fallback.stdout.jsonObject()["pages"] as? [Int] == [1])

        let ofd = try world.run(["stamp", world.sampleOFD, out("missing.ofd"), "--keyword", "登记机关"] + world.signerArguments)
        #expect(ofd.status == 3 && ofd.stderr.contains("not found"), "\(ofd.stderr)")

        let bad = try world.run(["stamp", world.samplePDF, out("bad.pdf"), "--keyword", "x", "--occurrence", "zeroth"] + world.signerArguments)
        #expect(bad.status != 0 && bad.stderr.contains("--occurrence"))

        // A negative offset as typed (not only as --offset-mm=-15,0): the widget moves 15 mm left of the one at 0,0.
        func widgetLeft(_ offset: String, _ name: String) throws -> Double? {
            let run = try world.run(
                ["stamp", world.samplePDF, out(name), "--keyword", "Generated by", "--pages", "3", "--offset-mm", offset,
                 "--width-mm", "30"] + world.signerArguments)
            #expect(run.status == 0, "--offset-mm \(offset): \(run.stderr)")
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: out(name))), as: UTF8.self)
            let rects = text.ranges(of: #/\/Rect\s*\[\s*([0-9.\-]+)/#).map { String(text[$0]) }
            return rects.last.flatMap { Double($0.split(whereSeparator: { $0 == "[" || $0 == " " }).last ?? "") }
        }
        let centred = try #require(try widgetLeft("0,0", "centred.pdf"))
        let left = try #require(try widgetLeft("-15,0", "left.pdf"))
        #expect(abs((centred - left) - 15 * 72 / 25.4) < 0.05, "\(centred) vs \(left)")

        // --pages past the last page (the sample has three): the keyword is not found there, a typed refusal.
        let past = try world.run(["stamp", world.samplePDF, out("past.pdf"), "--keyword", "Generated by", "--pages", "4"] + world.signerArguments)
        #expect(past.status == 3 && past.stderr.contains("not found"), "\(past.stderr)")
        let pastOFD = try world.run(["locate", world.sampleOFD, "--keyword", "x", "--pages", "9", "--json"])
        #expect(pastOFD.status == 1, "\(pastOFD.stderr)")
    }
}

/// `sealpress stamp --riding`: one signature whose slices sit on the page edges, for PDF and OFD.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct StampRidingCLITests {
    @Test func ridingSealIsOneSignatureOverTheSelectedPages() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("riding")
        let out = { (name: String) in folder.appendingPathComponent(name).path }
        let pdf = try world.run(
            ["stamp", world.samplePDF, out("r.pdf"), "--riding", "right", "--riding-pages", "1-2", "--first-page-share",
             "0.3", "--margin-mm", "2", "--json"] + world.signerArguments)
        #expect(pdf.status == 0, "\(pdf.stderr)")
        let summary = try pdf.stdout.jsonObject()
        #expect(summary["pages"] as? [Int] == [1, 2] && summary["signatures"] as? Int == 1)
        let verified = try world.run(["verify", out("r.pdf"), "--trust", world.roots])
        #expect(verified.status == 0, "\(verified.stdout)")

        let ofd = try world.run(
            ["stamp", world.sampleOFD, out("r.ofd"), "--riding", "left", "--slices", "2", "--json"] + world.signerArguments)
        #expect(ofd.status == 0, "\(ofd.stderr)")
        #expect(try ofd.stdout.jsonObject()["signatures"] as? Int == 1)
        let ofdVerified = try world.run(["verify", out("r.ofd"), "--trust", world.roots])
        #expect(ofdVerified.status == 0, "\(ofdVerified.stdout)")
        // The independent checker (../shared/tools/ofdverify.py) on the CLI's riding OFD.
        let tool = TestEnvironment.sharedTool("ofdverify.py"), python = TestEnvironment.executable("python3")
        if TestEnvironment.peerAvailable("ofdverify.py", tool != nil && python != nil), let tool, let python {
            let judged = try TestEnvironment.run(python, [tool.path, out("r.ofd")])
            #expect(judged.status == 0 && judged.stdout.contains("OVERALL: VALID"), "ofdverify.py: \(judged.stdout.suffix(800))")
        }

        let stray = try world.run(["stamp", world.samplePDF, out("s.pdf"), "--slices", "2"] + world.signerArguments)
        #expect(stray.status != 0 && stray.stderr.contains("go with --riding"), "\(stray.stderr)")
        let edge = try world.run(["stamp", world.samplePDF, out("e.pdf"), "--riding", "middle"] + world.signerArguments)
        #expect(edge.status != 0 && edge.stderr.contains("left, right, top or bottom"), "\(edge.stderr)")
        let tooMany = try world.run(
            ["stamp", world.samplePDF, out("m.pdf"), "--riding", "top", "--riding-pages", "1-2", "--slices", "3"]
                + world.signerArguments)
        #expect(tooMany.status == 3 && tooMany.stderr.contains("slices"), "\(tooMany.stderr)")
    }
}

/// `sealpress bench stamp --keyword`: functional only (both placements ran, the ratio is a number); never a timing
/// assertion — the figure is measured on a release build (Docs/benchmarks.md).
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct BenchStampKeywordCLITests {
    @Test func keywordBenchTimesBothPlacementsAndRefusesAMissingKeyword() throws {
        let world = try CLIWorld.require()
        let image = CLIWorld.fixture("seal.png").path
        let result = try world.run(
            ["bench", "stamp", "--file", world.samplePDF, "--keyword", "Generated by", "--image", image, "--seconds",
             "0.1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try result.stdout.jsonObject()
        #expect((object["fixedDocs"] as? Int ?? 0) > 0 && (object["keywordDocs"] as? Int ?? 0) > 0)
        #expect(result.stdout.range(of: "\"keywordCostRatio\" ?: ?[0-9]", options: .regularExpression) != nil)
        #expect(object["keywords"] as? [String] == ["Generated by"])

        let missing = try world.run(
            ["bench", "stamp", "--file", world.samplePDF, "--keyword", "登记机关", "--image", image, "--seconds", "0.1"])
        #expect(missing.status != 0 && missing.stderr.contains("not found"), "\(missing.stderr)")
    }
}
