import Foundation
import SealPDF
import SealTestSupport
import Testing

@Suite struct WriterIncrementalTests {
    static let inputs = PDFFixture.corpusNames.filter { $0 != "pdfbox-PasswordSample-256bit.pdf" }

    /// Adds an /Info object and a marker in a replaced catalog: the kind of update a signer makes.
    static func update(_ document: PDFDocument, marker: String) throws -> PDFWrittenUpdate {
        var update = PDFIncrementalUpdate(document: document)
        let info = update.add(.dictionary([
            "Producer": .string(PDFString(text: "SealPress test \(marker)")),
            "Title": .string(PDFString(text: "印章 \(marker)")),
        ]))
        let rootRef = try #require(document.trailer["Root"]?.referenceValue)
        var catalog = try document.catalog
        catalog["SealPressMarker"] = .string(PDFString(text: marker))
        update.replace(rootRef, with: .dictionary(catalog))
        update.setTrailerEntries(["Info": .reference(info)])
        return try update.write()
    }

    @Test(arguments: inputs)
    func updateAppendsInTheSameStyleAndReopens(_ name: String) throws {
        let input = try PDFFixture.corpus(name)
        let document = try PDFDocument(bytes: input)
        let written = try Self.update(document, marker: "m1")
        let output = written.bytes
        #expect(output.count > input.count)
        #expect(Array(output.prefix(input.count)) == input, "earlier bytes must be untouched")
        let reopened = try PDFDocument(bytes: output, options: PDFReadOptions(allowRepair: false))
        #expect(!reopened.wasRepaired)
        if document.wasRepaired {
            // A repaired input gets a complete cross-reference without /Prev: readable on its own.
            #expect(reopened.revisions.count == 1)
        } else {
            #expect(reopened.revisions.count == document.revisions.count + 1)
            let expectedKind: PDFRevision.Kind = document.revisions.last?.kind == .stream ? .stream : .table
            #expect(reopened.revisions.last?.kind == expectedKind)
            #expect(reopened.revisions.last?.trailer["Prev"]?.integerValue == document.revisions.last?.xrefOffset)
        }
        #expect(try reopened.catalog["SealPressMarker"]?.stringValue?.text == "m1")
        let info = try #require(try reopened.resolveDictionary(reopened.trailer["Info"]))
        #expect(info["Title"]?.stringValue?.text == "印章 m1")
        #expect(try reopened.pages().count == (try document.pages().count))
        // /ID keeps its first element.
        let oldID = document.trailer["ID"]?.arrayValue?.first?.stringValue?.bytes
        let newID = reopened.trailer["ID"]?.arrayValue?.first?.stringValue?.bytes
        if let oldID { #expect(newID == oldID) }
        #expect(reopened.maxObjectNumber >= document.maxObjectNumber)
        // The recorded ranges hold exactly the written objects.
        for (ref, range) in written.objectRanges {
            #expect(output[range].starts(with: Array("\(ref.number) \(ref.generation) obj".utf8)))
            #expect(Array(output[range]).suffix(7) == Array("endobj\n".utf8))
        }
        // A second update on top of the first also works (multi-seal).
        let second = try Self.update(reopened, marker: "m2").bytes
        #expect(Array(second.prefix(output.count)) == output)
        let twice = try PDFDocument(bytes: second, options: PDFReadOptions(allowRepair: false))
        #expect(try twice.catalog["SealPressMarker"]?.stringValue?.text == "m2")
    }

    @Test(.peer("qpdf and pdfinfo") { TestEnvironment.executable("qpdf") != nil && TestEnvironment.executable("pdfinfo") != nil }, arguments: inputs)
    func qpdfAndPdfinfoAcceptTheUpdate(_ name: String) throws {
        guard TestEnvironment.peerAvailable("qpdf", TestEnvironment.executable("qpdf") != nil),
            TestEnvironment.peerAvailable("pdfinfo", TestEnvironment.executable("pdfinfo") != nil)
        else { return }
        let qpdf = try #require(TestEnvironment.executable("qpdf"))
        let pdfinfo = try #require(TestEnvironment.executable("pdfinfo"))
        let inputStatus = try TestEnvironment.run(qpdf, ["--check", PDFFixture.url("corpus", name).path]).status
        guard inputStatus < 128 else {
            Issue.record("qpdf crashes on \(name) itself (status \(inputStatus)); see corpus README", severity: .warning)
            return
        }
        let document = try PDFDocument(bytes: try PDFFixture.corpus(name))
        let (directory, file) = try PDFFixture.temporaryFile(try Self.update(document, marker: "q").bytes)
        defer { try? FileManager.default.removeItem(at: directory) }
        let check = try TestEnvironment.run(qpdf, ["--check", file.path])
        if inputStatus == 0 && !document.wasRepaired {
            #expect(check.status == 0, "\(name): qpdf --check \(check.status): \(check.stdout.suffix(600)) \(check.stderr.suffix(600))")
        } else {
            #expect(check.status == 0 || check.status == 3, "\(name): qpdf --check \(check.status): \(check.stderr.suffix(600))")
        }
        let info = try TestEnvironment.run(pdfinfo, [file.path])
        #expect(info.status == 0, "\(name): pdfinfo \(info.stderr)")
        #expect(info.stdout.contains("SealPress test q"), "\(name): pdfinfo shows the new /Info")
        #expect(info.stdout.contains("Pages:           \(try document.pages().count)\n"))
    }

    @Test func fileWithoutFinalNewlineGetsOneBeforeTheUpdate() throws {
        var input = try PDFFixture.corpus("sf-libreoffice-writer.pdf")
        while input.last == 10 || input.last == 13 { input.removeLast() }
        let document = try PDFDocument(bytes: input)
        let written = try Self.update(document, marker: "nl")
        #expect(written.appended.first == 10)
        #expect(Array(written.bytes.prefix(input.count)) == input)
        #expect(try PDFDocument(bytes: written.bytes).catalog["SealPressMarker"] != nil)
    }

    @Test func patchingAPlaceholderKeepsTheFileValid() throws {
        let document = try PDFDocument(bytes: try PDFFixture.corpus("sf-minimal-document.pdf"))
        var update = PDFIncrementalUpdate(document: document)
        let placeholder = PDFString(bytes: [UInt8](repeating: 0, count: 64), isHex: true)
        let signature = update.add(.dictionary([
            "Type": .name("Sig"), "ByteRange": .array([0, 9_999_999_999, 9_999_999_999, 9_999_999_999]),
            "Contents": .string(placeholder),
        ]), unencryptedKeys: ["Contents"])
        var written = try update.write()
        let range = try #require(written.objectRanges[signature])
        let objectBytes = Array(written.bytes[range])
        // The hex placeholder is written as one run of 128 zeros inside <>.
        let zeros = "<" + String(repeating: "0", count: 128) + ">"
        let text = String(decoding: objectBytes, as: UTF8.self)
        let start = try #require(text.range(of: zeros))
        let offset = range.lowerBound + text.utf8.distance(from: text.startIndex, to: start.lowerBound) + 1
        try written.patch(at: offset, with: Array(String(repeating: "AB", count: 64).utf8))
        let reopened = try PDFDocument(bytes: written.bytes)
        let contents = try reopened.object(signature).dictionaryValue?["Contents"]?.stringValue?.bytes
        #expect(contents == [UInt8](repeating: 0xAB, count: 64))
        #expect(throws: PDFError(.invalidArgument, "")) { try written.patch(at: 3, with: [0]) }
    }
}
