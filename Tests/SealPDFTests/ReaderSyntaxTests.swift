import Foundation
@testable import SealPDF
import Testing

/// Builds small PDFs with a correct classic cross-reference from object bodies (object n = bodies[n-1]).
enum SyntheticPDF {
    static func make(_ bodies: [String], root: Int = 1, extraTrailer: String = "") -> [UInt8] {
        var out = Array("%PDF-1.7\n%\u{E2}\u{E3}\n".utf8)
        var offsets: [Int] = []
        for (index, body) in bodies.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n\(body)\nendobj\n".utf8)
        }
        let xref = out.count
        out += Array("xref\n0 \(bodies.count + 1)\n0000000000 65535 f\r\n".utf8)
        for offset in offsets {
            let text = String(offset)
            out += Array((String(repeating: "0", count: 10 - text.count) + text + " 00000 n\r\n").utf8)
        }
        out += Array("trailer\n<</Size \(bodies.count + 1)/Root \(root) 0 R\(extraTrailer)>>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }

    /// A one-page document whose object 4 is `body`.
    static func withObject(_ body: String) -> [UInt8] {
        make(["<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
              "<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>", body])
    }
}

@Suite struct ReaderSyntaxTests {
    private func parse(_ text: String) throws -> PDFObject {
        var parser = PDFParser(bytes: Array(text.utf8))
        return try parser.parseObject()
    }

    @Test func namesDecodeHexEscapes() throws {
        #expect(try parse("/A#20B") == .name(PDFName(bytes: Array("A B".utf8))))
        #expect(try parse("/#E5#8D#B0") == .name(PDFName("印")))
        #expect(try parse("/Name#") == .name("Name#"))  // a dangling # is kept literally
        #expect(try parse("/") == .name(PDFName(bytes: [])))
    }

    @Test func literalStringsHandleEscapesNestingAndLineEnds() throws {
        #expect(try parse("(a(b)c)") == .string(PDFString(bytes: Array("a(b)c".utf8))))
        #expect(try parse(#"(\(\)\\\n\101\7x)"#) == .string(PDFString(bytes: Array("()\\\nA".utf8) + [7] + Array("x".utf8))))
        #expect(try parse("(line\\\ncontinued)") == .string(PDFString(bytes: Array("linecontinued".utf8))))
        #expect(try parse("(a\r\nb)") == .string(PDFString(bytes: Array("a\nb".utf8))))
        #expect(throws: PDFError(.malformed, "")) { try parse("(unterminated") }
    }

    @Test func hexStringsIgnoreWhitespaceAndPadOddDigits() throws {
        #expect(try parse("<48 65\n6C6C 6F>") == .string(PDFString(bytes: Array("Hello".utf8), isHex: true)))
        #expect(try parse("<ABC>") == .string(PDFString(bytes: [0xAB, 0xC0], isHex: true)))
        #expect(throws: PDFError(.malformed, "")) { try parse("<4G>") }
    }

    @Test func numbersAndReferences() throws {
        #expect(try parse("42") == .integer(42))
        #expect(try parse("-17") == .integer(-17))
        #expect(try parse("+.5") == .real(0.5))
        #expect(try parse("-3.25") == .real(-3.25))
        #expect(try parse("4.") == .real(4))
        #expect(try parse("12 0 R") == .reference(PDFReference(number: 12, generation: 0)))
        #expect(try parse("[1 2 3 0 R 4]") == .array([1, 2, .reference(PDFReference(number: 3)), 4]))
        #expect(throws: PDFError(.malformed, "")) { try parse("[1 2 Rx]") }  // "Rx" is not the R keyword
    }

    @Test func dictionariesWithCommentsOddWhitespaceAndMissingValues() throws {
        let object = try parse("<<%comment\n/A 1\u{0C}/B[true false null]\u{00}/C<</D/E>>/F>>")
        let dictionary = try #require(object.dictionaryValue)
        #expect(dictionary["A"] == 1)
        #expect(dictionary["B"] == .array([true, false, .null]))
        #expect(dictionary["C"]?.dictionaryValue?["D"] == .name("E"))
        #expect(dictionary["F"] == nil)
        #expect(dictionary.keys == ["A", "B", "C"])
    }

    @Test func dictionaryEqualityIgnoresOrder() {
        let a: PDFDictionary = ["A": 1, "B": 2]
        let b: PDFDictionary = ["B": 2, "A": 1]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != ["A": 1, "B": 3])
    }

    @Test func deepNestingIsALimitNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: PDFError(.limitExceeded, "")) { try parse(deep) }
        let document = try PDFDocument(bytes: SyntheticPDF.withObject(String(repeating: "[", count: 5_000)))
        #expect(throws: PDFError(.limitExceeded, "")) { try document.object(PDFReference(number: 4)) }
    }

    @Test func textStringsDecodeUTF16AndPDFDocEncoding() {
        #expect(PDFString(bytes: [0xFE, 0xFF, 0x53, 0x70, 0x7A, 0xE0]).text == "印章")
        #expect(PDFString(bytes: [0x80, 0x41, 0xA0]).text == "•A€")
        #expect(PDFString(text: "Plain").bytes == Array("Plain".utf8))
        #expect(PDFString(text: "印章").bytes == [0xFE, 0xFF, 0x53, 0x70, 0x7A, 0xE0])
        #expect(PDFString(text: "a€b").text == "a€b")
    }

    @Test func streamWithWrongLengthIsRecoveredAtEndstream() throws {
        for length in ["5", "99999", "-3", "7 0 R", ""] {
            let bytes = SyntheticPDF.withObject("<</Length \(length)>>\nstream\nhello stream data\nendstream")
            let document = try PDFDocument(bytes: bytes)
            let stream = try #require(try document.object(PDFReference(number: 4)).streamValue)
            #expect(stream.rawData == Array("hello stream data".utf8), "/Length \(length)")
        }
    }

    @Test func indirectLengthIsResolved() throws {
        let bytes = SyntheticPDF.make([
            "<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/Contents 4 0 R>>", "<</Length 5 0 R>>\nstream\nq endstream Q\nendstream", "13",
        ])
        let document = try PDFDocument(bytes: bytes)
        let stream = try #require(try document.object(PDFReference(number: 4)).streamValue)
        #expect(stream.rawData == Array("q endstream Q".utf8))
    }

    @Test func pagesInheritAttributesFromTheTree() throws {
        let bytes = SyntheticPDF.make([
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R 4 0 R]/Count 3/MediaBox[0 0 595 842]/Rotate 90/Resources<</Font<<>>>>>>",
            "<</Type/Page/Parent 2 0 R/CropBox[10 10 2000 500]>>",
            "<</Type/Pages/Parent 2 0 R/Kids[5 0 R 6 0 R]/Count 2/Rotate -90>>",
            "<</Type/Page/Parent 4 0 R/MediaBox 7 0 R>>",
            "<</Type/Page/Parent 4 0 R/Rotate 450>>",
            "[0 0 100 200]",
        ])
        let pages = try PDFDocument(bytes: bytes).pages()
        #expect(pages.count == 3)
        #expect(pages[0].mediaBox == PDFRect(llx: 0, lly: 0, urx: 595, ury: 842))
        #expect(pages[0].cropBox == PDFRect(llx: 10, lly: 10, urx: 595, ury: 500))
        #expect(pages[0].rotate == 90)
        #expect(pages[0].resources?.dictionaryValue?["Font"] != nil)
        #expect(pages[1].mediaBox == PDFRect(llx: 0, lly: 0, urx: 100, ury: 200))
        #expect(pages[1].rotate == 270)
        #expect(pages[2].rotate == 90)
        #expect(pages.map(\.ref.number) == [3, 5, 6])
    }

    @Test func pageTreeLoopIsAnError() throws {
        let bytes = SyntheticPDF.make([
            "<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>", "<</Type/Pages/Kids[2 0 R]>>",
        ])
        #expect(throws: PDFError(.malformed, "")) { try PDFDocument(bytes: bytes).pages() }
    }

    @Test func serializerWritesCanonicalSyntax() {
        func text(_ object: PDFObject) -> String { String(decoding: PDFSerializer.serialize(object), as: UTF8.self) }
        #expect(text(.real(0.1)) == "0.1")
        #expect(text(.real(1e-7)) == "0")
        #expect(text(.real(-2.5)) == "-2.5")
        #expect(!text(.real(1e20)).contains("e"))
        #expect(!text(.real(-3.0e-5)).contains("e"))
        #expect(text(.real(3)) == "3")
        #expect(text(.name(PDFName(bytes: Array("A B#/(".utf8)))) == "/A#20B#23#2F#28")
        #expect(text(.string(PDFString(bytes: Array("a(b)\\\n".utf8) + [0]))) == #"(a\(b\)\\\n\000)"#)
        #expect(text(.string(PDFString(bytes: [0xDE, 0xAD], isHex: true))) == "<DEAD>")
        #expect(text(.dictionary(["A": .array([1, .null, true]), "B": .reference(PDFReference(number: 5))])) == "<</A [1 null true]/B 5 0 R>>")
        #expect(text(.stream(PDFStream(dictionary: ["Length": 99], rawData: [1, 2]))).hasPrefix("<</Length 2>>\nstream\n"))
    }

    @Test func serializedObjectsParseBackToThemselves() throws {
        let objects: [PDFObject] = [
            .dictionary([
                "Name": .name(PDFName(bytes: [0, 0x20, 0x23, 0xFF, 0x41])),
                "Text": .string(PDFString(bytes: Array(0...255))),
                "Hex": .string(PDFString(bytes: Array(0...255), isHex: true)),
                "Numbers": .array([0, -1, .real(0.25), .real(-1234.5), .integer(Int(Int32.max))]),
                "Nested": .array([.array([.dictionary(["X": .null])])]),
            ]),
        ]
        for object in objects {
            var parser = PDFParser(bytes: PDFSerializer.serialize(object))
            #expect(try parser.parseObject() == object)
        }
    }
}
