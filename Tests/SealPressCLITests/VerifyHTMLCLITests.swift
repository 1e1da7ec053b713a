import Foundation
import SealTestSupport
import Testing

/// `sealpress verify --html`: the readable report as a user gets it, and as Debian's headless chromium shows and
/// prints it.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct VerifyHTMLCLITests {
    /// The OFD engine's corpus of real vendor documents.
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SealOFDTests/Fixtures/corpus")

    /// Vendor OFDs with red raster seal pictures: a bank receipt (Suwell), ofdrw's SES v4 sample, and ofdrw's two
    /// sequential v4 seals (two signatures: two sections, two page runs).
    static let vendorOFDs = ["bank_receipt_1.ofd", "SESV4SignDoc.ofd", "gen_v4_then_v4_whole.ofd"]

    /// The red seal picture of the PDF engine's fixtures (400×400, #dc0000 on transparent).
    static let redPicture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SealPDFTests/Fixtures/sign/images/seal-400.png").path

    /// A seal with the red picture, whose name carries markup the report must show as text.
    static let sealName = "合同专用章<script>alert('x')</script>"

    static func redSeal(_ world: CLIWorld, in folder: URL, file: String) throws -> String {
        let seal = folder.appendingPathComponent(file).path
        let made = try world.run([
            "seal", "make", "--name", sealName, "--type", "2", "--esid", "HTML-TEST-1", "--picture", redPicture,
            "--width-mm", "40", "--height-mm", "40", "--signer-cert", world.path("pki/sm2-signer.cert.pem"),
            "--maker-key", world.path("pki/seal-maker.key.pem"), "--maker-cert", world.path("pki/seal-maker.cert.pem"),
            "--valid-from", "2020-01-01", "--valid-to", "2099-12-31", "--out", seal,
        ])
        #expect(made.status == 0, "\(made.stderr)")
        return seal
    }

    /// The sample PDF stamped on page 1 with the red seal (SES: the seal and its picture are in the signature) and
    /// its HTML report.
    static func sealedPDFReport(_ world: CLIWorld, in folder: URL, format: String = "ses") throws -> String {
        let pdf = folder.appendingPathComponent("signed-\(format).pdf").path
        let signer = ["--seal", try redSeal(world, in: folder, file: "red-\(format).esl"), "--key", world.path("pki/sm2-signer.key.pem"),
                      "--cert", world.path("pki/sm2-signer.cert.pem")]
        let stamp = try world.run(["stamp", world.samplePDF, pdf, "--format", format, "--page", "1", "--force"] + signer)
        #expect(stamp.status == 0, "\(stamp.stderr)")
        let html = folder.appendingPathComponent("report-\(format).html").path
        let verify = try world.run(["verify", pdf, "--trust", world.roots, "--html", html])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        return html
    }

    @Test func writesTheReportAndRefusesToReplaceItWithoutForce() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("verify-html")
        let html = try Self.sealedPDFReport(world, in: folder)
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(text.contains("<strong>通过 PASSED</strong>"))
        #expect(text.contains("合同专用章&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(!text.lowercased().contains("<script"))
        #expect(text.contains("HTML-TEST-1"))
        #expect(text.contains("data:image/png;base64,"))
        #expect(text.contains("第 1 页"))

        // The JSON contract is unchanged beside --html.
        let again = try world.run(["verify", folder.appendingPathComponent("signed-ses.pdf").path, "--trust", world.roots,
                                   "--json", "--html", html])
        #expect(again.status == 3)
        #expect(again.stderr.contains("already exists; pass --force"), "\(again.stderr)")
        Leaks.check(again.stderr)
        try Data("old".utf8).write(to: URL(fileURLWithPath: html))
        let forced = try world.run(["verify", folder.appendingPathComponent("signed-ses.pdf").path, "--trust", world.roots,
                                    "--json", "--html", html, "--force"])
        #expect(forced.status == 0)
        #expect(try forced.stdout.jsonObject()["signatures"] != nil)
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("HTML-TEST-1"))
    }

    @Test(.peerExecutable("chromium"))
    func theSealPictureShowsInTheBrowserAndPrintsOnA4() throws {
        guard TestEnvironment.peerAvailable("chromium", TestEnvironment.executable("chromium") != nil),
            TestEnvironment.peerAvailable("python3 with Pillow", TestEnvironment.pythonHasModules(["PIL"])),
            TestEnvironment.peerAvailable("pdfinfo", TestEnvironment.executable("pdfinfo") != nil)
        else { return }
        let world = try CLIWorld.require()
        let folder = try world.folder("verify-html-browser")
        let pdfReport = try Self.sealedPDFReport(world, in: folder)

        var reports: [(name: String, html: String, signatures: Int)] = [("pdf", pdfReport, 1)]
        for vendor in Self.vendorOFDs {
            let path = Self.corpus.appendingPathComponent(vendor).path
            let html = folder.appendingPathComponent("report-\(vendor).html").path
            let ofd = try world.run(["verify", path, "--html", html])
            #expect([0, 1, 2].contains(ofd.status), "\(ofd.stderr)")
            let signatures = try #require(
                try world.run(["verify", path, "--json"]).stdout.jsonObject()["signatures"] as? [Any]).count
            #expect(signatures >= 1)
            reports.append((vendor, html, signatures))
        }

        for (name, html, signatures) in reports {
            let png = folder.appendingPathComponent("\(name).png").path
            try Browser.screenshot(html, to: png, folder: folder)
            let area = try Browser.sealArea(png)
            #expect(area.found, "\(name): no seal area in the screenshot")
            #expect(area.red > 200, "\(name): only \(area.red) red pixels in the seal area")

            let printed = folder.appendingPathComponent("\(name)-print.pdf").path
            try Browser.print(html, to: printed, folder: folder)
            let info = try TestEnvironment.run(try #require(TestEnvironment.executable("pdfinfo")), [printed]).stdout
            let pages = try #require(Browser.field("Pages", in: info).flatMap { Int($0) })
            #expect(pages >= 1 && pages <= 2 * signatures, "\(name): \(pages) pages for \(signatures) signature(s)")
            #expect(Browser.field("Page size", in: info)?.contains("(A4)") == true, "\(info)")
            // Kept for people: the screenshot is a test artefact beside the report.
            print("report screenshot: \(png)")
        }

        // The check can fail: a PKCS#7 signature carries no SES seal, so its report's seal area has no picture.
        let plain = try Self.sealedPDFReport(world, in: folder, format: "pkcs7")
        let plainPNG = folder.appendingPathComponent("pkcs7.png").path
        try Browser.screenshot(plain, to: plainPNG, folder: folder)
        let plainArea = try Browser.sealArea(plainPNG)
        #expect(plainArea.found)
        #expect(plainArea.red == 0)
    }
}

/// Headless chromium and a Pillow look at its screenshot.
enum Browser {
    static func chromium(_ arguments: [String], folder: URL) throws {
        let binary = try #require(TestEnvironment.executable("chromium"))
        let profile = folder.appendingPathComponent("chromium-profile-\(UUID().uuidString.prefix(6))").path
        let browser = [
            binary.path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--hide-scrollbars", "--user-data-dir=\(profile)",
        ] + arguments
        // A browser that hangs must not hang the suite: coreutils' timeout ends it after two minutes.
        let result = try TestEnvironment.executable("timeout").map { try TestEnvironment.run($0, ["120"] + browser) }
            ?? TestEnvironment.run(binary, Array(browser.dropFirst()))
        #expect(result.status == 0, "chromium: \(result.stderr)")
    }

    static func screenshot(_ html: String, to png: String, folder: URL) throws {
        try chromium(["--screenshot=\(png)", "--window-size=1000,1800", URL(fileURLWithPath: html).absoluteString], folder: folder)
        #expect(FileManager.default.fileExists(atPath: png))
    }

    static func print(_ html: String, to pdf: String, folder: URL) throws {
        try chromium(["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", URL(fileURLWithPath: html).absoluteString], folder: folder)
        #expect(FileManager.default.fileExists(atPath: pdf))
    }

    /// The first seal area (the report paints it #f3efe6 and nothing else in that colour) and how many clearly red
    /// pixels lie inside it.
    static func sealArea(_ png: String) throws -> (found: Bool, red: Int) {
        let script = """
            import sys
            from PIL import Image
            im = Image.open(sys.argv[1]).convert("RGB")
            w, h = im.size
            px = im.load()
            panel = (243, 239, 230)
            start = next(((x, y) for y in range(h) for x in range(w) if px[x, y] == panel), None)
            if start is None:
                print("none 0"); sys.exit(0)
            x0, y0 = start
            x1 = x0
            while x1 + 1 < w and px[x1 + 1, y0] == panel: x1 += 1
            y1 = y0
            while y1 + 1 < h and px[x0, y1 + 1] == panel: y1 += 1
            red = sum(1 for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)
                      if px[x, y][0] > 170 and px[x, y][1] < 100 and px[x, y][2] < 100)
            print("found", red, x0, y0, x1, y1)
            """
        let python = try #require(TestEnvironment.executable("python3"))
        let result = try TestEnvironment.run(python, ["-c", script, png])
        let words = result.stdout.split(separator: " ")
        #expect(result.status == 0, "\(result.stderr)")
        return (words.first == "found", words.count > 1 ? Int(words[1].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 : 0)
    }

    static func field(_ name: String, in info: String) -> String? {
        info.split(separator: "\n").first { $0.hasPrefix(name + ":") }
            .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }
}
