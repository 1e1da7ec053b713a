// libFuzzer entry for the SealPDF text engine: the input is parsed as a CMap, then used as a page's content
// stream AND its font's /ToUnicode and embedded /Encoding CMap inside a small PDF (beside Adobe-GB1 fonts with
// the predefined GBK-EUC-H and Identity-H CMaps), and the page's glyphs and a keyword search are computed. An input that is itself a PDF also has its first pages located. Any crash, hang
// or sanitizer report is a bug; typed PDFErrors are the expected outcome for garbage.
@testable import SealPDF

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPDFText(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = PDFTextLimits(maxOperators: 200_000, maxContentBytes: 8 << 20, maxCMapEntries: 20_000, maxGlyphs: 200_000)
    _ = try? CMap(parsing: bytes, maxEntries: limits.maxCMapEntries)

    var pdf: [UInt8] = []
    var offsets: [Int] = []
    func object(_ body: [UInt8]) {
        offsets.append(pdf.count)
        pdf += Array("\(offsets.count) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
    }
    func stream(_ data: [UInt8], _ extra: String = "") -> [UInt8] {
        Array("<< /Length \(data.count) \(extra) >>\nstream\n".utf8) + data + Array("\nendstream".utf8)
    }
    pdf = Array("%PDF-1.7\n".utf8)
    object(Array("<< /Type /Catalog /Pages 2 0 R >>".utf8))
    object(Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8))
    object(Array(("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate 90 /Contents 4 0 R "
        + "/Resources << /Font << /F1 5 0 R /F2 8 0 R /F3 10 0 R /F4 12 0 R >> /XObject << /X 9 0 R >> >> >>").utf8))
    object(stream(bytes))
    object(Array("<< /Type /Font /Subtype /Type0 /BaseFont /F /Encoding 7 0 R /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>".utf8))
    object(Array("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /F /DW 1000 /W [1 [500 600] 10 20 700] >>".utf8))
    object(stream(bytes))
    object(Array("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [32 /space /uni4E00 /a] >> >>".utf8))
    object(stream(bytes, "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 9 0 R >> /Font << /F1 5 0 R >> >>"))
    // Adobe-GB1 fonts without /ToUnicode: the predefined GBK-EUC-H CMap, and Identity-H (text from the CID table).
    object(Array("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /GBK-EUC-H /DescendantFonts [11 0 R] >>".utf8))
    object(Array(("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
        + "/Ordering (GB1) /Supplement 4 >> /DW 1000 /W [1730 [800] 814 907 500] >>").utf8))
    object(Array("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [11 0 R] >>".utf8))
    let xref = pdf.count
    pdf += Array("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n".utf8)
    for offset in offsets {
        let digits = String(offset)
        pdf += Array((String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n").utf8)
    }
    pdf += Array("trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)

    for candidate in [pdf, bytes] {
        let readLimits = PDFLimits(maxStreamDecodedBytes: 4 << 20, maxFileBytes: 8 << 20)
        guard let document = try? PDFDocument(bytes: candidate, options: PDFReadOptions(limits: readLimits)) else { continue }
        let locator = PDFTextLocator(document: document, limits: limits)
        let count = (try? locator.pageCount()) ?? 0
        for page in 1...max(1, min(count, 4)) where count > 0 {
            _ = try? locator.glyphs(page: page)
        }
        _ = try? locator.find(["ab", "一", "盖章"], pages: 1...4)
    }
    return 0
}
