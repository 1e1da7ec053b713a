import Foundation
@testable import SealPDF
import Testing

/// Broken and hostile inputs end in a typed ``PDFError`` (or a readable document) — never a crash or a hang.
@Suite struct ReaderHostileTests {
    /// Opens, walks the pages and loads every listed object; returns the first error.
    @discardableResult
    static func exercise(_ bytes: [UInt8], options: PDFReadOptions = .init()) -> PDFError? {
        do {
            let document = try PDFDocument(bytes: bytes, options: options)
            _ = try? document.pages()
            for revision in document.revisions {
                for number in revision.objectNumbers.prefix(500) {
                    if let object = try? document.object(PDFReference(number: number)),
                        case .stream(let stream) = object
                    {
                        _ = try? document.decodedData(of: stream)
                    }
                }
            }
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["sf-minimal-document.pdf", "sf-libreoffice-form.pdf", "qpdf-hybrid-xref.pdf", "pyhanko-signed-twice.pdf"])
    func truncationAtManyOffsetsNeverCrashes(_ name: String) throws {
        let bytes = try PDFFixture.corpus(name)
        let clock = ContinuousClock()
        let start = clock.now
        var opened = 0
        let step = max(1, bytes.count / 150)
        for length in stride(from: 0, to: bytes.count, by: step) {
            let error = Self.exercise(Array(bytes.prefix(length)))
            if error == nil { opened += 1 }
        }
        // Truncation removes startxref; repair still recovers the later prefixes.
        #expect(opened > 0)
        #expect(clock.now - start < .seconds(60))
    }

    @Test func garbageAfterAHeaderIsATypedError() {
        var generator = SystemRandomNumberGenerator()
        for size in [0, 10, 1000, 50_000] {
            let garbage = Array("%PDF-1.7\n".utf8) + (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let error = Self.exercise(garbage)
            #expect(error?.code == .xrefBroken || error?.code == .malformed || error == nil)
        }
        #expect(Self.exercise(Array("not a pdf at all".utf8))?.code == .malformed)
        #expect(Self.exercise([])?.code == .malformed)
    }

    @Test func xrefPrevLoopIsDetected() throws {
        var bytes = SyntheticPDF.withObject("(x)")
        let text = String(decoding: bytes, as: UTF8.self)
        let xrefOffset = try #require(text.range(of: "\nxref\n")).lowerBound.utf16Offset(in: text) + 1
        let patched = text.replacingOccurrences(of: "/Root 1 0 R", with: "/Root 1 0 R/Prev \(xrefOffset)")
        bytes = Array(patched.utf8)
        #expect(throws: PDFError(.xrefBroken, "")) { try PDFDocument(bytes: bytes, options: .init(allowRepair: false)) }
        let repaired = try PDFDocument(bytes: bytes)
        #expect(repaired.wasRepaired)
        #expect(try repaired.pages().count == 1)
    }

    @Test func referenceLoopsAndLengthLoopsAreBounded() throws {
        let bytes = SyntheticPDF.make([
            "<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>", "<</Type/Page/Parent 2 0 R>>",
            "5 0 R", "4 0 R", "<</Length 7 0 R>>\nstream\nabc\nendstream", "<</Length 6 0 R>>\nstream\nxyz\nendstream",
        ])
        let document = try PDFDocument(bytes: bytes)
        #expect(throws: PDFError(.limitExceeded, "")) { try document.resolve(.reference(PDFReference(number: 4))) }
        // Mutually recursive /Length: recovered by searching endstream.
        #expect(try document.object(PDFReference(number: 6)).streamValue?.rawData == Array("abc".utf8))
    }

    @Test func hugeLengthAndHugeCountsAreHandled() throws {
        let bytes = SyntheticPDF.withObject("<</Length 99999999999999999999>>\nstream\ndata\nendstream")
        let document = try PDFDocument(bytes: bytes)
        #expect(try document.object(PDFReference(number: 4)).streamValue?.rawData == Array("data".utf8))
        let objectStream = SyntheticPDF.withObject("<</Type/ObjStm/N 999999999999/First 0/Length 3>>\nstream\n1 0\nendstream")
        let stream = try #require(try PDFDocument(bytes: objectStream).object(PDFReference(number: 4)).streamValue)
        #expect(throws: PDFError(.malformed, "")) { try ObjectStreamContents(stream: stream, limits: .init()) }
        // An xref subsection claiming billions of entries.
        let text = String(decoding: SyntheticPDF.withObject("1"), as: UTF8.self)
            .replacingOccurrences(of: "xref\n0 5", with: "xref\n0 999999999999")
        #expect(throws: PDFError.self) { try PDFDocument(bytes: Array(text.utf8), options: .init(allowRepair: false)) }
    }

    @Test func absurdNumbersInTheFileCannotOverflowTheWriter() throws {
        let text = String(decoding: SyntheticPDF.withObject("1"), as: UTF8.self)
            .replacingOccurrences(of: "/Size 5", with: "/Size 9223372036854775807")
        let document = try PDFDocument(bytes: Array(text.utf8))
        #expect(document.maxObjectNumber == 5)
        var update = PDFIncrementalUpdate(document: document)
        #expect(update.add(.null).number == 5)
        update.replace(PDFReference(number: Int.max, generation: 0), with: .null)
        #expect(throws: PDFError(.invalidArgument, "")) { try update.write() }
        // An object stream offset near Int.max is ignored, not added to /First.
        let objectStream = SyntheticPDF.withObject(
            "<</Type/ObjStm/N 1/First 22/Length 25>>\nstream\n7 9223372036854775807 (x)\nendstream")
        let stream = try #require(try PDFDocument(bytes: objectStream).object(PDFReference(number: 4)).streamValue)
        let contents = try ObjectStreamContents(stream: stream, limits: .init())
        #expect(contents.numbers.isEmpty)
    }

    @Test func overlappingObjectsCannotMakeLoadingQuadratic() throws {
        // Every object starts an unterminated literal string that swallows all later objects.
        let count = 4_000
        let bodies = (0..<count).map { _ in "(" }
        let bytes = SyntheticPDF.make(["<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[]/Count 0>>"] + bodies)
        let limits = PDFLimits(parseWorkFactor: 4, parseWorkAllowanceBytes: 1 << 20)
        let document = try PDFDocument(bytes: bytes, options: .init(allowRepair: false, limits: limits))
        var limited = 0
        let clock = ContinuousClock()
        let start = clock.now
        for number in 3..<(count + 3) {
            let outcome = Result { () throws(PDFError) -> PDFObject in try document.object(PDFReference(number: number)) }
            if case .failure(let error) = outcome, error.code == .limitExceeded { limited += 1 }
        }
        #expect(limited > 0, "the parse budget must stop the quadratic walk")
        #expect(clock.now - start < .seconds(20))
        // Repair of the same bytes is bounded the same way (typed error or success, quickly).
        let repairStart = clock.now
        _ = try? PDFDocument(bytes: Array(bytes.prefix(bytes.count - 40)), options: .init(limits: limits))
        #expect(clock.now - repairStart < .seconds(20))
    }

    @Test func zipBombStreamInADocumentIsALimit() throws {
        let bomb = Flate.deflate([UInt8](repeating: 0x41, count: 40 << 20))
        var bytes = Array("%PDF-1.7\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n".utf8)
        let offset3 = bytes.count
        bytes += Array("3 0 obj\n<</Length \(bomb.count)/Filter/FlateDecode>>\nstream\n".utf8) + bomb + Array("\nendstream\nendobj\n".utf8)
        let xref = bytes.count
        func entry(_ offset: Int) -> String { String(repeating: "0", count: 10 - String(offset).count) + String(offset) + " 00000 n\r\n" }
        bytes += Array(("xref\n0 4\n0000000000 65535 f\r\n" + entry(9) + entry(bytes.firstIndex(of: UInt8(ascii: "2"))!) + entry(offset3)).utf8)
        bytes += Array("trailer\n<</Size 4/Root 1 0 R>>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        let document = try PDFDocument(bytes: bytes, options: .init(limits: PDFLimits(maxStreamDecodedBytes: 8 << 20)))
        let stream = try #require(try document.object(PDFReference(number: 3)).streamValue)
        #expect(throws: PDFError(.limitExceeded, "")) { try document.decodedData(of: stream) }
    }

    @Test func fileSizeLimitIsEnforced() throws {
        let bytes = try PDFFixture.corpus("sf-minimal-document.pdf")
        #expect(throws: PDFError(.limitExceeded, "")) {
            try PDFDocument(bytes: bytes, options: .init(limits: PDFLimits(maxFileBytes: 1000)))
        }
    }

    @Test func errorDescriptionsCarryNoDocumentBytes() {
        let secret = "(TopSecretContent"
        let error = Self.exercise(Array("%PDF-1.7\n1 0 obj\n\(secret)".utf8))
        #expect(error != nil)
        #expect(!(error?.description.contains("TopSecret") ?? true))
    }
}
