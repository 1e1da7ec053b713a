import Foundation
import Hummingbird
import SealCrypto
import SealPipeline
import SealReport
import SealReportHTML

extension ConsoleHandlers {
    // MARK: - Upload and verify

    func verifyPage(_ request: Request, error: String? = nil) async throws -> Response {
        let session = try await requireSession(request)
        let message: HTML = error.map { "<p class=\"error\" id=\"upload-error\">\($0)</p>" } ?? ""
        return ConsoleResponse.page(Layout.page("验证文档 Verify a document", session: session, """
            \(message)
            <form method="post" action="\(prefix)/verify" enctype="multipart/form-data">
            \(Layout.csrfField(session))
            <p><label>PDF / OFD 文件 File <input type="file" name="document" id="document" accept=".pdf,.ofd" required></label></p>
            <p><button id="upload">验证 Verify</button></p>
            </form>
            <p>文档只在内存中验证，不保存。The document is verified in memory and not stored; the upload is recorded in the
            event log by its SHA-256.</p>
            """), status: error == nil ? .ok : .badRequest)
    }

    func verifyUpload(_ request: Request) async throws -> Response {
        guard let session = try await session(request) else { throw ConsoleRefusal.unauthorized }
        let limit = console.configuration.maximumUploadBytes
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit + 64 * 1024)
        } catch {
            return try await verifyPage(request, error: "文件太大 The document is larger than \(limit >> 20) MiB")
        }
        let parts: [FormData.Part]
        do {
            parts = try FormData.multipart(Array(buffer: body), contentType: request.headers[.contentType] ?? "")
        } catch {
            return try await verifyPage(request, error: error.reason)
        }
        let csrf = parts.first { $0.name == "csrf" }.map { String(decoding: $0.content, as: UTF8.self) }
        try Self.checkCSRF(csrf, session: session)
        guard let document = parts.first(where: { $0.name == "document" }), !document.content.isEmpty else {
            return try await verifyPage(request, error: "请选择文件 Choose a PDF or OFD file")
        }
        let bytes = document.content
        guard let format = DocumentFormat.detect(bytes) else {
            return try await verifyPage(request, error: "不是 PDF 或 OFD 文档 The file is neither a PDF nor an OFD document")
        }
        let trust = console.configuration.trust
        let fileName = document.fileName.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "document.\(format.rawValue)"
        let page = try await console.database.runDetached {
            Self.reportPage(bytes, format: format, trust: trust, fileName: fileName)
        }
        let digest = Digest.hash(.sha256, bytes).map { String(format: "%02x", $0) }.joined()
        try await record(
            "console.verify",
            ["sha256": digest, "format": format.rawValue, "verdict": page.verdict, "file": String(fileName.prefix(200))],
            by: session)
        let nav = Layout.page("", session: session, "").text
        // The report is its own self-contained page; the console's navigation goes on top of it.
        let navigation = nav.range(of: "<nav>").flatMap { start in
            nav.range(of: "</nav>").map { end in String(nav[start.lowerBound..<end.upperBound]) }
        } ?? ""
        let html = page.html.replacingOccurrences(
            of: "<body>", with: "<body>\n<div class=\"console-nav\" style=\"font-family:sans-serif;background:#eee;padding:.4em 1em\">\(navigation)</div>",
            options: [], range: page.html.range(of: "<body>"))
        return ConsoleResponse.page(HTML(trustedMarkup: html))
    }

    /// Verifies and renders the readable report (CPU work and `pdftoppm` for the page thumbnails).
    static func reportPage(_ bytes: [UInt8], format: DocumentFormat, trust: TrustStore?, fileName: String)
        -> (html: String, verdict: String)
    {
        let report = DocumentVerification.verify(bytes, format: format, trust: trust)
            .withTrustAccounted(anchorsGiven: trust != nil)
        let details = DocumentDetails.extract(bytes)
        var images: [Int: [UInt8]] = [:]
        if format == .pdf {
            var pages: Set<Int> = []
            for item in details.values { for placement in item.placements.prefix(6) { pages.insert(placement.page) } }
            let path = NSTemporaryDirectory() + "sealpress-console-\(UUID().uuidString).pdf"
            if FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) {
                images = PageThumbnails.render(pdf: path, pages: pages)
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        let html = ReportHTML(report: report, details: details, pageImages: images, fileName: fileName).render()
        return (html, report.verdict.indication.rawValue)
    }
}
