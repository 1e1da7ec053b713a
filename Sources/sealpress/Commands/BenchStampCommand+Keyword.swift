import Dispatch
import Foundation
import SealCrypto
import SealPDF
import SealReport

/// `bench stamp --keyword TEXT`: the same visible stamp placed at fixed coordinates and by keyword, each timed
/// for `--seconds` on one thread; the ratio is what keyword placement costs per document.
struct PDFKeywordBenchResult: Codable {
    var file: String
    var inputBytes: Int
    var algorithm: String
    var keywords: [String]
    var fixedDocs: Int
    var fixedDocsPerCPUSecond: Double
    var fixedP50Milliseconds: Double
    var keywordDocs: Int
    var keywordDocsPerCPUSecond: Double
    var keywordP50Milliseconds: Double
    /// Keyword time per document over fixed time per document (CPU time); the goal is at most 1.5.
    var keywordCostRatio: Double

    var text: String {
        [
            "PDF keyword placement: \(file) (\(inputBytes) bytes), \(algorithm), keyword \(keywords.joined(separator: " | "))",
            String(format: "  fixed:   %.1f docs per CPU-second (p50 %.2f ms, %d docs)", fixedDocsPerCPUSecond, fixedP50Milliseconds, fixedDocs),
            String(format: "  keyword: %.1f docs per CPU-second (p50 %.2f ms, %d docs)", keywordDocsPerCPUSecond, keywordP50Milliseconds, keywordDocs),
            String(format: "  keyword placement costs %.2f× fixed placement per document (goal ≤ 1.50×)", keywordCostRatio),
        ].joined(separator: "\n")
    }
}

extension PDFStampBench {
    /// Times fixed and keyword placement of the same visible seal on the same file.
    ///
    /// Each document is opened once, as the worker does: fixed placement stamps it; keyword placement first finds
    /// the keyword on the opened document, then stamps with a stamper prepared once per resolved placement (the
    /// worker's stamper cache). Only the signer and the seal picture are shared between documents.
    static func measureKeyword(
        file: String, bytes: [UInt8], algorithm: String, imagePath: String?, seconds: Double, keywords: [String]
    ) throws -> PDFKeywordBenchResult {
        let (signer, _, certificate) = try identity(algorithm)
        let image = try SealImage(imageBytes: try sealPicture(imagePath))
        let format: PDFSignatureFormat = signer.algorithm == .sm2WithSM3 ? .sm2() : .padesBB
        func request(_ placement: PDFPlacement) -> PDFStampRequest {
            PDFStampRequest(
                signer: signer, format: format, placement: placement, image: image, fieldName: "Seal1",
                signingTime: Date())
        }
        let fixed = try PDFStamper(request(PDFPlacement(page: .number(1), xMM: 10, yMM: 10, widthMM: 40)))
        let keyword = PDFKeywordPlacement(keywords: keywords, widthMM: 40)
        var stampers: [PDFPlacement: PDFStamper] = [:]
        func stampByKeyword() throws -> PDFWrittenUpdate {
            let document = try PDFDocument(bytes: bytes)
            guard let placement = try keyword.resolve(document, aspectRatio: image.aspectRatio).first else {
                throw CouldNotRun("--keyword: no placement resolved")
            }
            if stampers[placement] == nil { stampers[placement] = try PDFStamper(request(placement)) }
            return try stampers[placement]!.stampUpdate(document)
        }

        // Check one keyword output before timing.
        let sample = try stampByKeyword().bytes
        let report = PDFVerifier.verify(sample, options: PDFVerifyOptions(trust: TrustStore(roots: [certificate])))
        guard report.indication == .passed else {
            throw CouldNotRun("the benchmark output does not verify: \(report.verdict.reasons)")
        }
        let fixedRun = try timed(seconds: seconds) { try fixed.stampUpdate(try PDFDocument(bytes: bytes)) }
        let keywordRun = try timed(seconds: seconds) { try stampByKeyword() }
        return PDFKeywordBenchResult(
            file: file, inputBytes: bytes.count, algorithm: algorithm, keywords: keywords, fixedDocs: fixedRun.docs,
            fixedDocsPerCPUSecond: Double(fixedRun.docs) / fixedRun.cpu, fixedP50Milliseconds: fixedRun.p50,
            keywordDocs: keywordRun.docs, keywordDocsPerCPUSecond: Double(keywordRun.docs) / keywordRun.cpu,
            keywordP50Milliseconds: keywordRun.p50,
            keywordCostRatio: (keywordRun.cpu / Double(keywordRun.docs)) / (fixedRun.cpu / Double(fixedRun.docs)))
    }

    /// Runs `body` for `seconds` of wall time; returns the documents, thread CPU seconds and p50 latency (ms).
    private static func timed(seconds: Double, _ body: () throws -> PDFWrittenUpdate) throws
        -> (docs: Int, cpu: Double, p50: Double)
    {
        var latencies: [Double] = []
        let cpuStart = threadCPUSeconds()
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        var now = DispatchTime.now().uptimeNanoseconds
        while now < deadline {
            let t0 = now
            let written = try body()
            precondition(!written.appended.isEmpty)
            now = DispatchTime.now().uptimeNanoseconds
            latencies.append(Double(now - t0) / 1e6)
        }
        latencies.sort()
        return (latencies.count, max(threadCPUSeconds() - cpuStart, 1e-9), latencies[latencies.count / 2])
    }
}
