// libFuzzer entry for the SealPDF reader: opens the input, walks the pages, loads and decodes every object,
// then writes an incremental update and re-reads it. Any crash, hang or sanitizer report is a bug;
// typed PDFErrors are the expected outcome for garbage.
@testable import SealPDF

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPDFReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = PDFLimits(maxStreamDecodedBytes: 4 << 20, maxFileBytes: 8 << 20)
    guard let document = try? PDFDocument(bytes: bytes, options: PDFReadOptions(limits: limits)) else { return 0 }
    _ = try? document.pages()
    _ = try? document.catalog
    for (index, revision) in document.revisions.enumerated() {
        for number in revision.objectNumbers.prefix(256) {
            let ref = PDFReference(number: number)
            _ = try? document.object(ref, asOfRevision: index)
            if case .stream(let stream)? = try? document.object(ref) { _ = try? document.decodedData(of: stream) }
        }
    }
    var update = PDFIncrementalUpdate(document: document)
    update.add(.dictionary(["Fuzz": .string(PDFString(text: "x"))]))
    if let written = try? update.write(), let reread = try? PDFDocument(bytes: written.bytes, options: PDFReadOptions(limits: limits)) {
        precondition(reread.bytes.starts(with: bytes), "the update must not change earlier bytes")
        _ = try? reread.pages()
    }
    return 0
}
