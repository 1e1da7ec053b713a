import Foundation
import SealPDF
import Synchronization
import SealTestSupport
import Testing

@Suite struct ReaderCorpusTests {
    /// What we know about each corpus file independently of our reader (from SOURCES.txt and qpdf/pdfinfo).
    struct Expectation: Sendable {
        var pages: Int
        var revisions: Int?
        var kind: PDFRevision.Kind?
        var repaired = false
        /// False where the file deliberately contains unloadable objects.
        var allObjectsLoad = true
    }

    static let expectations: [String: Expectation] = [
        "pdfbox-MissingCatalog.pdf": .init(pages: 1),
        "pdfjs-signed_verified.pdf": .init(pages: 1),
        "pdfjs-tracemonkey.pdf": .init(pages: 14, revisions: 1, kind: .table),
        "pdfjs-xref_command_missing.pdf": .init(pages: 1, repaired: true),
        "pyhanko-byterange-tail-uncovered.pdf": .init(pages: 1),
        "pyhanko-pades-lta-dss.pdf": .init(pages: 1, revisions: 5),
        // A linearized original (two xref sections, one save: signature 1 covers both) plus one update.
        "pyhanko-signed-twice.pdf": .init(pages: 1, revisions: 2),
        "pyhanko-startxref-off-by-one.pdf": .init(pages: 1, revisions: 1, repaired: false),
        "qpdf-c-object-streams.pdf": .init(pages: 30, kind: .stream),
        "qpdf-hybrid-xref.pdf": .init(pages: 30, kind: .hybrid),
        "qpdf-incremental-2.pdf": .init(pages: 1, revisions: 2),
        "qpdf-lin1-linearized.pdf": .init(pages: 30, revisions: 1),
        // Garbage after %%EOF hides startxref from a tail-only search; found without repair.
        "qpdf-recover-xref-stream.pdf": .init(pages: 1, revisions: 2, repaired: false),
        // Objects 69–82 sit in object streams that are themselves compressed (a cycle): unloadable by design.
        "qpdf-xref-compressed-in-compressed.pdf": .init(pages: 30, kind: .stream, allObjectsLoad: false),
        "sf-crazyones-pdfa.pdf": .init(pages: 1),
        "sf-libreoffice-form.pdf": .init(pages: 1, kind: .table),
        "sf-libreoffice-writer.pdf": .init(pages: 1, kind: .table),
        "sf-minimal-document.pdf": .init(pages: 1, kind: .stream),
    ]

    @Test(arguments: expectations.keys.sorted())
    func opensWithExpectedStructure(_ name: String) throws {
        let expected = try #require(Self.expectations[name])
        let document = try PDFDocument(bytes: try PDFFixture.corpus(name))
        let pages = try document.pages()
        #expect(pages.count == expected.pages, "\(name): page count")
        if let revisions = expected.revisions { #expect(document.revisions.count == revisions, "\(name): revisions") }
        if let kind = expected.kind { #expect(document.revisions.last?.kind == kind, "\(name): xref kind") }
        #expect(document.wasRepaired == expected.repaired, "\(name): repaired flag")
        #expect(document.bytes == (try PDFFixture.corpus(name)))
        // Every object the cross-reference lists can be loaded (no dangling offsets), or fails with a typed error.
        var failures = 0
        for revision in document.revisions {
            for number in revision.objectNumbers.prefix(2_000) {
                let ref = PDFReference(number: number, generation: generationOf(revision.entries[number]))
                do { _ = try document.object(ref) } catch { failures += 1 }
            }
        }
        #expect((failures == 0) == expected.allObjectsLoad, "\(name): \(failures) objects failed to load")
        // Revisions are ordered and end where the next one starts or before.
        for (older, newer) in zip(document.revisions, document.revisions.dropFirst()) {
            #expect(older.endOffset <= newer.endOffset)
        }
    }

    private func generationOf(_ entry: PDFXRefEntry?) -> Int {
        if case .offset(_, let generation)? = entry { return generation }
        return 0
    }

    @Test func brokenCrossReferenceFailsWithoutRepair() throws {
        for name in ["pdfjs-xref_command_missing.pdf"] {
            #expect(throws: PDFError(.xrefBroken, "")) {
                try PDFDocument(bytes: try PDFFixture.corpus(name), options: PDFReadOptions(allowRepair: false))
            }
        }
    }

    @Test func offByOneStartXRefIsToleratedWithoutRepair() throws {
        let document = try PDFDocument(
            bytes: try PDFFixture.corpus("pyhanko-startxref-off-by-one.pdf"), options: PDFReadOptions(allowRepair: false))
        #expect(!document.wasRepaired)
        #expect(try document.pages().count == 1)
        #expect(abs(document.startXRefOffset - (document.revisions.last?.xrefOffset ?? 0)) == 1)
        #expect(document.warnings.contains { $0.contains("startxref is off by") })
    }

    @Test func everyCorpusFileOpensOrFailsWithATypedError() throws {
        for name in PDFFixture.corpusNames {
            do {
                let document = try PDFDocument(bytes: try PDFFixture.corpus(name))
                _ = try document.pages()
            } catch let error as PDFError {
                // Only the password-protected sample may refuse to open without a password.
                #expect(name == "pdfbox-PasswordSample-256bit.pdf", "\(name): \(error)")
                #expect(error.code == .passwordRequired)
            }
        }
    }

    @Test func signedFilesExposeTheirSignatureDictionaries() throws {
        let document = try PDFDocument(bytes: try PDFFixture.corpus("pyhanko-signed-twice.pdf"))
        let acroForm = try #require(try document.resolveDictionary(try document.catalog["AcroForm"]))
        let fields = try #require(try document.resolve(acroForm["Fields"] ?? .null).arrayValue)
        var byteRanges = 0
        for field in fields {
            guard let value = try document.resolveDictionary(field)?["V"],
                let signature = try document.resolveDictionary(value)
            else { continue }
            let rangeItems = signature["ByteRange"]?.arrayValue?.compactMap { $0.integerValue }
            let range = try #require(rangeItems)
            #expect(range.count == 4 && range[0] == 0)
            let contents = try #require(signature["Contents"]?.stringValue)
            // The gap in the byte range is exactly the hex /Contents string with its delimiters.
            #expect(range[2] - range[1] == contents.bytes.count * 2 + 2)
            byteRanges += 1
        }
        #expect(byteRanges == 2)
    }

    @Test(.peerExecutable("pdfinfo")) func pageCountsAndMediaBoxesAgreeWithPdfinfo() throws {
        guard TestEnvironment.peerAvailable("pdfinfo", TestEnvironment.executable("pdfinfo") != nil) else { return }
        let pdfinfo = try #require(TestEnvironment.executable("pdfinfo"))
        for name in Self.expectations.keys.sorted() {
            let result = try TestEnvironment.run(pdfinfo, ["-box", PDFFixture.url("corpus", name).path])
            let pagesLine = result.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            guard let pagesLine, let count = Int(pagesLine.split(separator: " ").last ?? "") else {
                Issue.record("pdfinfo gave no page count for \(name)")
                continue
            }
            let document = try PDFDocument(bytes: try PDFFixture.corpus(name))
            let pages = try document.pages()
            #expect(pages.count == count, "\(name): pdfinfo says \(count) pages")
            // pdfinfo -box prints "MediaBox: llx lly urx ury" for page 1.
            if let line = result.stdout.split(separator: "\n").first(where: { $0.hasPrefix("MediaBox:") }) {
                let numbers = line.split(separator: " ").dropFirst().compactMap { Double($0) }
                if numbers.count == 4, let first = pages.first {
                    let box = first.mediaBox
                    for (ours, theirs) in zip([box.llx, box.lly, box.urx, box.ury], numbers) {
                        #expect(abs(ours - theirs) < 0.01, "\(name): MediaBox \(box) vs pdfinfo \(numbers)")
                    }
                }
            }
        }
    }

    @Test(.peerExecutable("qpdf")) func pageCountsAgreeWithQpdf() throws {
        guard TestEnvironment.peerAvailable("qpdf", TestEnvironment.executable("qpdf") != nil) else { return }
        let qpdf = try #require(TestEnvironment.executable("qpdf"))
        for name in Self.expectations.keys.sorted() {
            let result = try TestEnvironment.run(qpdf, ["--show-npages", PDFFixture.url("corpus", name).path])
            guard result.status == 0 || result.status == 3, let count = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }  // qpdf itself cannot read some damaged files
            #expect(try PDFDocument(bytes: try PDFFixture.corpus(name)).pages().count == count, "\(name)")
        }
    }

    @Test func everyRevisionEndsAtAnEndOfFileMarker() throws {
        for name in ["pyhanko-pades-lta-dss.pdf", "qpdf-incremental-2.pdf", "pyhanko-byterange-tail-uncovered.pdf"] {
            let document = try PDFDocument(bytes: try PDFFixture.corpus(name))
            let markers = Set(document.endOfFileMarkers())
            for revision in document.revisions { #expect(markers.contains(revision.endOffset), "\(name)") }
        }
        // An update whose /Prev skips the newest revision hides it from the chain; the marker list still shows it.
        let original = try PDFDocument(bytes: try PDFFixture.corpus("qpdf-incremental-2.pdf"))
        let skipped = try #require(original.revisions.first?.xrefOffset)
        var bytes = original.bytes
        let xref = bytes.count
        bytes += Array("xref\n0 0\ntrailer\n<</Size 9/Root 1 0 R/Prev \(skipped)>>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        let hiding = try PDFDocument(bytes: bytes, options: .init(allowRepair: false))
        #expect(hiding.revisions.count == 2)
        let ends = Set(hiding.revisions.map(\.endOffset))
        #expect(hiding.endOfFileMarkers().contains { !ends.contains($0) })
    }

    @Test func oneDocumentCanBeReadFromManyThreads() throws {
        let bytes = try PDFFixture.corpus("qpdf-c-object-streams.pdf")
        let reference = try PDFDocument(bytes: bytes)
        let numbers = reference.revisions.last?.objectNumbers ?? []
        var table: [Int: PDFObject] = [:]
        for number in numbers { table[number] = try reference.object(PDFReference(number: number)) }
        let expected = table
        let shared = try PDFDocument(bytes: bytes)
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for number in numbers.shuffled() {
                let object = try? shared.object(PDFReference(number: number))
                if object != expected[number] { mismatches.withLock { $0 += 1 } }
                if worker % 2 == 0 { _ = try? shared.pages() }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
        #expect(try shared.pages().count == 30)
    }

    @Test func objectAsOfRevisionShowsTheOlderVersion() throws {
        let document = try PDFDocument(bytes: try PDFFixture.corpus("pyhanko-signed-twice.pdf"))
        try #require(document.revisions.count == 2)
        let root = try #require(document.trailer["Root"]?.referenceValue)
        let oldest = try document.object(root, asOfRevision: 0)?.dictionaryValue
        let newest = try document.object(root).dictionaryValue
        #expect(oldest != nil && newest != nil)
        // The last revision defines objects the first one did not know.
        let added = Set(document.revisions[1].objectNumbers).subtracting(document.revisions[0].objectNumbers)
        #expect(!added.isEmpty)
        for number in added {
            #expect(try document.object(PDFReference(number: number), asOfRevision: 0) == nil)
        }
        #expect(throws: PDFError(.invalidArgument, "")) { try document.object(root, asOfRevision: 7) }
    }
}
