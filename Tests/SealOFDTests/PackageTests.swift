import Foundation
import SealReport
import Testing
@testable import SealOFD

@Suite struct PackageTests {
    @Test func readsEveryCorpusPackageAndItsPages() throws {
        for name in ["helloworld.ofd", "path_unstd.ofd", "bank_receipt_1.ofd", "售票换开样例.ofd", "SESV4SignDoc.ofd"] {
            let package = try OFDPackage(try Fixture.bytes(name))
            for path in package.archive.filePaths { _ = try package.read(path) }  // CRC-checked
            let document = try OFDDocument(package: package)
            #expect(!document.pages.isEmpty, "\(name) has pages")
            #expect(document.pages.allSatisfy { $0.physicalBox.widthMM > 0 && $0.physicalBox.heightMM > 0 })
        }
    }

    @Test func pageIDsAndBoxesComeFromDocumentXML() throws {
        let document = try OFDDocument(package: OFDPackage(try Fixture.generatedOFD(pages: 4)))
        #expect(document.pages.map(\.id) == ["10", "11", "12", "13"])
        #expect(document.pages[0].physicalBox == OFDBox(xMM: 0, yMM: 0, widthMM: 210, heightMM: 297))
        #expect(document.pages[2].physicalBox == OFDBox(xMM: 0, yMM: 0, widthMM: 297, heightMM: 210))
        #expect(document.maxUnitID == 32)
        #expect(document.signaturesPath == nil)
    }

    @Test func relativeSignatureLocationsResolveAgainstTheirFolder() throws {
        let package = try OFDPackage(try Fixture.bytes("bank_receipt_1.ofd"))
        let document = try OFDDocument(package: package)
        #expect(document.signaturesPath == "Doc_0/Signs/Signatures.xml")
        #expect(package.locate("Sign_0/Signature.xml", from: "Doc_0/Signs/Signatures.xml") == "Doc_0/Signs/Sign_0/Signature.xml")
        #expect(package.locate("/Doc_0/Signs/Sign_0/Signature.xml", from: "x/y.xml") == "Doc_0/Signs/Sign_0/Signature.xml")
        #expect(package.locate("Doc_0\\Signs\\.\\Sign_0\\signature.XML", from: "OFD.xml") == "Doc_0/Signs/Sign_0/Signature.xml")
        #expect(package.locate("Doc_0/Signs/Sign_0/Signature.xml", from: "Doc_0/Signs/Signatures.xml") == "Doc_0/Signs/Sign_0/Signature.xml")
        #expect(package.locate("../../../etc/passwd", from: "Doc_0/Signs/Signatures.xml") == nil)
    }

    /// A stamp parses OFD.xml, Document.xml, the placed page and the earlier signatures, then hashes every file:
    /// through ``OFDPackageFiles`` each file is inflated once for both.
    @Test func aStampInflatesEachFileOnce() throws {
        let package = try OFDPackage(try Fixture.bytes("bank_receipt_1.ofd"))
        let files = OFDPackageFiles(package)
        let document = try OFDDocument(files: files) { number, _ in number == 1 }
        let parsed = files.inflations
        #expect(parsed >= 3)  // OFD.xml, Document.xml, the page's content
        for entry in package.archive.entries where !entry.isDirectory {
            #expect(try files.contents(of: entry) == package.archive.contents(of: entry))
        }
        #expect(files.inflations == package.archive.filePaths.count)
        _ = try files.xml(try #require(document.signaturesPath))
        _ = try files.read("ofd.xml")
        #expect(files.inflations == package.archive.filePaths.count)
        // A reader that keeps nothing inflates again.
        let passing = OFDPackageFiles(package, keeps: false)
        _ = try passing.read("OFD.xml")
        _ = try passing.read("OFD.xml")
        #expect(passing.inflations == 2)
    }

    /// A page's Area is read by parsing its content only up to that element: the same box as a whole parse, and
    /// nothing after it is read.
    @Test func theFirstChildOfTheRootIsParsedWithoutTheRest() throws {
        let head = #"<?xml version="1.0"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Template TemplateID="2"/>"#
            + "<ofd:Area><ofd:PhysicalBox>0 0 148 210</ofd:PhysicalBox></ofd:Area>"
        let whole = Array((head + "<ofd:Content><ofd:Layer ID=\"3\"/></ofd:Content></ofd:Page>").utf8)
        let area = try #require(try OFDXMLParser.firstChildOfRoot(whole, named: "Area"))
        #expect(try OFDXMLParser.parse(whole).child("Area") == area)
        #expect(area.childText("PhysicalBox") == "0 0 148 210")
        let cut = Array((head + "<ofd:Content><ofd:Lay").utf8)
        #expect(throws: OFDError(.malformedXML, "")) { try OFDXMLParser.parse(cut) }
        #expect(try OFDXMLParser.firstChildOfRoot(cut, named: "Area")?.childText("PhysicalBox") == "0 0 148 210")
        #expect(try OFDXMLParser.firstChildOfRoot(whole, named: "Missing") == nil)
        #expect(throws: OFDError(.malformedXML, "")) { try OFDXMLParser.firstChildOfRoot(cut, named: "Missing") }
        #expect(throws: OFDError(.malformedXML, "")) {
            try OFDXMLParser.firstChildOfRoot(Array("<a><b></c></a>".utf8), named: "Area")
        }
        // Every page of the corpus gets the same box as from a whole parse of its content.
        for name in ["helloworld.ofd", "bank_receipt_1.ofd", "售票换开样例.ofd", "SESV4SignDoc.ofd"] {
            let package = try OFDPackage(try Fixture.bytes(name))
            for page in try OFDDocument(package: package).pages {
                let path = try #require(page.contentPath)
                let full = try OFDXMLParser.parse(package.read(path)).child("Area")
                #expect(try OFDXMLParser.firstChildOfRoot(package.read(path), named: "Area") == full, "\(name) \(path)")
            }
        }
    }

    /// What a new signature reads from an earlier one is what the full parse gives.
    @Test func anEarlierSignaturesOutlineMatchesItsFullParse() throws {
        for name in ["bank_receipt_1.ofd", "SESV4SignDoc.ofd", "allprotected.ofd", "gen_v4_then_v4_whole.ofd"] {
            let package = try OFDPackage(try Fixture.bytes(name))
            let document = try OFDDocument(package: package)
            let listPath = try #require(document.signaturesPath)
            let list = OFDSignatureList(path: listPath, root: try package.xml(listPath))
            #expect(!list.entries.isEmpty)
            for entry in list.entries {
                let path = try #require(package.locate(entry.baseLocation, from: listPath))
                let full = try OFDSignatureFile(path: path, bytes: package.read(path))
                let outline = try OFDSignatureFile.Outline(path: path, bytes: package.read(path))
                #expect(outline.fileRefs == full.references.map(\.fileRef), "\(name)")
                #expect(outline.stampIDs == full.stampAnnotations.compactMap(\.id), "\(name)")
                #expect(!outline.fileRefs.isEmpty)
            }
        }
        #expect(throws: OFDError(.malformedDocument, "")) {
            try OFDSignatureFile.Outline(path: "x.xml", bytes: Array("<Signature><Other/></Signature>".utf8))
        }
    }

    @Test func notAZipIsATypedError() {
        #expect(throws: OFDError(.notAZip, "")) { try OFDPackage(Array("%PDF-1.7 hello".utf8)) }
        #expect(throws: OFDError(.notAZip, "")) { try OFDPackage([]) }
    }

    @Test func missingOFDXMLIsATypedError() throws {
        let bytes = try Fixture.zip([("Doc_0/Document.xml", Array("<a/>".utf8))])
        #expect(throws: OFDError(.missingOFDXML, "")) { try OFDPackage(bytes) }
    }

    @Test func pathTraversalInEntryNamesIsRefused() throws {
        for name in ["../evil.xml", "Doc_0/../../evil.xml", "/etc/passwd", "..\\..\\evil.xml", "C:/x.xml", "a\u{0}b"] {
            let bytes = try Fixture.zip([("OFD.xml", Array("<a/>".utf8)), (name, [1, 2, 3])])
            #expect(throws: OFDError(.unsafeEntryName, ""), "\(name)") { try OFDPackage(bytes) }
        }
    }

    @Test func duplicateEntriesAreRefused() throws {
        let bytes = try Fixture.zip([("OFD.xml", Array("<a/>".utf8)), ("./OFD.xml", Array("<b/>".utf8))])
        #expect(throws: OFDError(.duplicateEntry, "")) { try OFDPackage(bytes) }
    }

    @Test func zipBombsAreRefusedBeforeInflating() throws {
        let zeros = [UInt8](repeating: 0, count: 24 << 20)
        let bytes = try Fixture.zip([("OFD.xml", Array("<a/>".utf8)), ("Doc_0/bomb.xml", zeros)])
        #expect(throws: OFDError(.suspiciousCompressionRatio, "")) { try OFDPackage(bytes) }
        let small = OFDPackageLimits(maxTotalBytes: 1 << 20)
        #expect(throws: OFDError(.entryTooLarge, "")) {
            try OFDPackage(try Fixture.zip([("OFD.xml", Array("<a/>".utf8)), ("big.bin", [UInt8](repeating: 7, count: 2 << 20))]), limits: small)
        }
    }

    @Test func lyingSizesAndCorruptDataAreTypedErrors() throws {
        var bytes = try Fixture.bytes("helloworld.ofd")
        // Flip a byte inside the first entry's compressed data.
        let archive = try ZipArchive(bytes)
        let first = archive.entries.first { !$0.isDirectory && $0.compressedSize > 10 }!
        bytes[first.dataOffset + 5] ^= 0xFF
        let broken = try ZipArchive(bytes)
        #expect(throws: OFDError.self) { try broken.contents(of: first.path) }
        // Truncated archives never crash.
        let whole = try Fixture.bytes("bank_receipt_1.ofd")
        for cut in stride(from: 0, to: whole.count, by: 997) {
            _ = try? OFDPackage(Array(whole[..<cut]))
        }
    }

    @Test func anEntryInflatingBeyondItsDeclaredSizeIsRefused() throws {
        let payload = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 * 31 / 7) }
        var bytes = try Fixture.zip([("OFD.xml", Array("<a/>".utf8)), ("Doc_0/x.bin", payload)])
        // Make the local header and the central directory both claim 100 bytes.
        let name = Array("Doc_0/x.bin".utf8)
        var patched = 0
        for start in 0...(bytes.count - name.count) where Array(bytes[start..<start + name.count]) == name {
            if start >= 46, bytes[(start - 46)..<(start - 42)].elementsEqual([0x50, 0x4B, 0x01, 0x02]) {
                bytes.replaceSubrange((start - 46 + 24)..<(start - 46 + 28), with: [100, 0, 0, 0])
                patched += 1
            } else if start >= 30, bytes[(start - 30)..<(start - 26)].elementsEqual([0x50, 0x4B, 0x03, 0x04]) {
                bytes.replaceSubrange((start - 30 + 22)..<(start - 30 + 26), with: [100, 0, 0, 0])
                patched += 1
            }
        }
        #expect(patched == 2)
        let archive = try ZipArchive(bytes)
        #expect(throws: OFDError(.entryTooLarge, "")) { try archive.contents(of: "Doc_0/x.bin") }
        // A cut-off entry is corrupt, not a crash or a short read.
        let whole = try ZipArchive(try Fixture.zip([("OFD.xml", Array("<a/>".utf8)), ("Doc_0/x.bin", payload)]))
        let entry = try #require(whole.entries.first { $0.path == "Doc_0/x.bin" })
        var cut = whole.bytes
        cut.replaceSubrange((entry.dataOffset + entry.compressedSize / 2)..<(entry.dataOffset + entry.compressedSize),
                            with: [UInt8](repeating: 0, count: entry.compressedSize - entry.compressedSize / 2))
        #expect(throws: OFDError.self) { try ZipArchive(cut).contents(of: "Doc_0/x.bin") }
    }

    @Test func base64ToleratesLineBreaksAndMissingPaddingButNotJunk() {
        let value = (0..<100).map { UInt8($0 * 3 & 0xFF) }
        let text = Base64.encode(value)
        #expect(text == Data(value).base64EncodedString())
        var wrapped = ""
        for (index, character) in text.enumerated() {
            if index > 0 && index % 64 == 0 { wrapped += "\r\n    " }
            wrapped.append(character)
        }
        #expect(Base64.decode(wrapped) == value)
        #expect(Base64.decode("\n\t" + text.replacingOccurrences(of: "=", with: "") + " ") == value)
        #expect(Base64.decode("QUJD") == Array("ABC".utf8))
        #expect(Base64.decode("QUJD*") == nil)
        #expect(Base64.decode("0\u{1}\u{2}") == nil)
    }

    @Test func hugeOrDeepXMLIsATypedError() throws {
        let deep = Array((String(repeating: "<a>", count: 400) + String(repeating: "</a>", count: 400)).utf8)
        #expect(throws: OFDError(.xmlTooLarge, "")) { try OFDXMLParser.parse(deep) }
        let limits = OFDPackageLimits(maxXMLBytes: 4096)
        let big = Array(("<OFD>" + String(repeating: "<x/>", count: 2000) + "</OFD>").utf8)
        #expect(throws: OFDError(.xmlTooLarge, "")) { try OFDXMLParser.parse(big, limits: limits) }
        #expect(throws: OFDError(.malformedXML, "")) { try OFDXMLParser.parse(Array("<a><b></a>".utf8)) }
    }

    /// A file declaring GBK, GB2312 or GB18030 in any letter case is read as that encoding (Chinese file names in
    /// attributes resolve); the same declaration on bytes that are valid UTF-8 keeps them as they are.
    @Test func xmlDeclaredAsGBKIsConvertedWhateverTheCase() throws {
        // "印章" in GBK: D3 A1 D5 C2.
        let gbkName: [UInt8] = [0xD3, 0xA1, 0xD5, 0xC2]
        for declared in ["GBK", "gbk", "Gb2312", "GB18030"] {
            let bytes = Array("<?xml version=\"1.0\" encoding=\"\(declared)\"?><Res BaseLoc=\"".utf8) + gbkName
                + Array(".png\"/>".utf8)
            #expect(try OFDXMLParser.parse(bytes).attribute("BaseLoc") == "印章.png", "\(declared)")
        }
        let utf8 = Array("<?xml version=\"1.0\" encoding=\"GBK\"?><Res BaseLoc=\"印章.png\"/>".utf8)
        #expect(try OFDXMLParser.parse(utf8).attribute("BaseLoc") == "印章.png")
        let latin = Array("<?xml version=\"1.0\" encoding=\"GBX\"?><Res BaseLoc=\"".utf8) + gbkName + Array("\"/>".utf8)
        #expect(try OFDXMLParser.parse(latin).attribute("BaseLoc") != "印章")
    }

    @Test func xmlParserHandlesNamespacesEntitiesAndCDATA() throws {
        let root = try OFDXMLParser.parse(Array("""
            \u{FEFF}<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><!-- c -->
            <Signature xmlns="http://www.ofdspec.org"><SignedInfo><Provider ofd:ProviderName="A &amp; B"/>\
            <SignatureDateTime><![CDATA[2022&01]]></SignatureDateTime><x>&#x4E2D;&lt;&e;</x></SignedInfo></Signature>
            """.utf8))
        let info = try #require(root.child("SignedInfo"))
        #expect(info.child("Provider")?.attribute("ProviderName") == "A & B")
        #expect(info.childText("SignatureDateTime") == "2022&01")
        #expect(info.childText("x") == "中<&e;")
    }

    @Test func gbkDeclaredXMLIsConverted() throws {
        // <a n="印章"/> with the attribute in GBK (D3 A1 D5 C2), as some Chinese producers write.
        let bytes = Array(#"<?xml version="1.0" encoding="GBK"?><a n=""#.utf8) + [0xD3, 0xA1, 0xD5, 0xC2] + Array(#""/>"#.utf8)
        #expect(try OFDXMLParser.parse(bytes).attribute("n") == "印章")
    }

    @Test func bytesPrependedToTheArchiveAreTolerated() throws {
        let original = try Fixture.bytes("bank_receipt_1.ofd")
        let prefixed = Array("MZ stub of a self-extractor".utf8) + original
        let package = try OFDPackage(prefixed)
        #expect(try package.read("Doc_0/Document.xml") == OFDPackage(original).read("Doc_0/Document.xml"))
        #expect(OFDVerifier.verify(prefixed).integrity.indication == .passed)
    }

    @Test func writerCopiesEntriesVerbatim() throws {
        let original = try Fixture.bytes("bank_receipt_1.ofd")
        let archive = try ZipArchive(original)
        var writer = ZipWriter()
        for entry in archive.entries { try writer.copy(entry, from: archive) }
        try writer.add(path: "Doc_0/new.xml", contents: Array("<n/>".utf8), time: 0, date: 33)
        let copy = try ZipArchive(try writer.finish())
        #expect(copy.entries.count == archive.entries.count + 1)
        for entry in archive.entries {
            let copied = try #require(copy.entry(entry.path))
            #expect(copy.localRecord(of: copied).elementsEqual(archive.localRecord(of: entry)))
            #expect(try copy.contents(of: copied) == archive.contents(of: entry))
        }
    }
}

@Suite struct EntryNameTests {
    @Test func gbkNamesWithoutTheUTF8FlagAreDecoded() throws {
        var bytes = try Fixture.zip([("OFD.xml", Array("<a/>".utf8)), ("Doc_0/XXXX.png", [1, 2, 3])])
        // Patch the placeholder into the GBK bytes of "印章" in the local and central headers.
        let placeholder = Array("XXXX".utf8)
        var index = 0
        while index + 4 <= bytes.count {
            if bytes[index..<(index + 4)].elementsEqual(placeholder) { bytes.replaceSubrange(index..<(index + 4), with: [0xD3, 0xA1, 0xD5, 0xC2]) }
            index += 1
        }
        let archive = try ZipArchive(bytes)
        let entry = try #require(archive.entry("Doc_0/印章.png"))
        #expect(entry.rawName == Array("Doc_0/".utf8) + [0xD3, 0xA1, 0xD5, 0xC2] + Array(".png".utf8))
        #expect(try archive.contents(of: entry) == [1, 2, 3])
    }
}

@Suite struct DateTimeTests {
    @Test func signatureDateTimeIsUTCWithoutCalendar() {
        #expect(OFDDateTime.signatureDateTime(Date(timeIntervalSince1970: 0)) == "19700101000000Z")
        #expect(OFDDateTime.signatureDateTime(Date(timeIntervalSince1970: 1_709_251_199)) == "20240229235959Z")
        #expect(OFDDateTime.signatureDateTime(Date(timeIntervalSince1970: 4_102_444_800)) == "21000101000000Z")
        let dos = DOSDateTime(Date(timeIntervalSince1970: 1_709_251_199))
        #expect(dos.date == (2024 - 1980) << 9 | 2 << 5 | 29)
        #expect(dos.time == 23 << 11 | 59 << 5 | 29)
    }
}

@Suite struct LocationTests {
    @Test func percentEncodedLocationsAreFound() throws {
        let package = try OFDPackage(try Fixture.zip([("OFD.xml", Array("<a/>".utf8)), ("Doc_0/Res/印章.png", [1])]))
        #expect(package.locate("/Doc_0/Res/%E5%8D%B0%E7%AB%A0.png", from: "Doc_0/Document.xml") == "Doc_0/Res/印章.png")
        #expect(package.locate("Res/%E5%8D%B0%E7%AB%A0.png", from: "Doc_0/Document.xml") == "Doc_0/Res/印章.png")
        #expect(package.locate("/Doc_0/Res/%ZZ.png", from: "OFD.xml") == nil)
    }
}
