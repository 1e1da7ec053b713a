import Foundation
import SealPDF
import SealTestSupport
import Testing

@Suite struct EncryptionReaderTests {
    static let generated = [
        "rc4-40.pdf", "rc4-128.pdf", "aes-128.pdf", "aes-256-r5.pdf", "aes-256-r6.pdf", "aes-256-xrefstream.pdf",
    ]

    /// Text every generated file's source carries in its /Info (from sf-libreoffice-writer / sf-minimal-document).
    private func producer(_ document: PDFDocument) throws -> String? {
        guard let info = try document.resolveDictionary(document.trailer["Info"]) else { return nil }
        return info["Producer"]?.stringValue?.text
    }

    @Test(arguments: generated)
    func userAndOwnerPasswordsOpenTheDocument(_ name: String) throws {
        let bytes = try PDFFixture.bytes("encrypted", name)
        let plainName = name == "aes-256-xrefstream.pdf" ? "sf-minimal-document.pdf" : "sf-libreoffice-writer.pdf"
        let plain = try PDFDocument(bytes: try PDFFixture.corpus(plainName))
        for password in ["userpw", "ownerpw"] {
            let document = try PDFDocument(bytes: bytes, options: PDFReadOptions(password: password))
            #expect(document.isEncrypted)
            #expect(try document.pages().count == 1)
            // Decrypted strings equal the unencrypted source's.
            #expect(try producer(document) == (try producer(plain)))
            #expect(try producer(document) != nil)
            // Decrypted content streams decode (Flate after decryption) to the same bytes as the source.
            let contents = try #require(try document.pages()[0].dictionary["Contents"])
            let plainContents = try #require(try plain.pages()[0].dictionary["Contents"])
            let ours = try #require(try document.resolve(contents).streamValue)
            let theirs = try #require(try plain.resolve(plainContents).streamValue)
            #expect(try document.decodedData(of: ours) == (try plain.decodedData(of: theirs)))
        }
    }

    @Test(arguments: generated)
    func missingOrWrongPasswordIsATypedError(_ name: String) throws {
        let bytes = try PDFFixture.bytes("encrypted", name)
        #expect(throws: PDFError(.passwordRequired, "")) { try PDFDocument(bytes: bytes) }
        #expect(throws: PDFError(.wrongPassword, "")) {
            try PDFDocument(bytes: bytes, options: PDFReadOptions(password: "not-the-password"))
        }
    }

    @Test func nonASCIIPasswordsOpenTheirDocuments() throws {
        let chinese = try PDFDocument(
            bytes: try PDFFixture.bytes("encrypted", "aes-256-chinese-password.pdf"), options: .init(password: "印章密码"))
        #expect(try producer(chinese) != nil)
        #expect(chinese.encryption?.revision == 6)
        let latin = try PDFDocument(
            bytes: try PDFFixture.bytes("encrypted", "rc4-128-latin1-password.pdf"), options: .init(password: "café"))
        #expect(try producer(latin) != nil)
        #expect(throws: PDFError(.wrongPassword, "")) {
            try PDFDocument(bytes: try PDFFixture.bytes("encrypted", "rc4-128-latin1-password.pdf"), options: .init(password: "cafe"))
        }
    }

    @Test func emptyUserPasswordOpensWithoutAPassword() throws {
        let document = try PDFDocument(bytes: try PDFFixture.bytes("encrypted", "aes-128-emptyuser.pdf"))
        #expect(document.isEncrypted)
        #expect(try producer(document) != nil)
    }

    @Test func pdfboxAES256SampleOpensWithItsPasswords() throws {
        let bytes = try PDFFixture.corpus("pdfbox-PasswordSample-256bit.pdf")
        #expect(throws: PDFError(.passwordRequired, "")) { try PDFDocument(bytes: bytes) }
        #expect(throws: PDFError(.wrongPassword, "")) { try PDFDocument(bytes: bytes, options: .init(password: "x")) }
        for password in ["user", "owner"] {
            let document = try PDFDocument(bytes: bytes, options: PDFReadOptions(password: password))
            #expect(try document.pages().count == 1)
            // The strings qpdf shows after decryption (qpdf --password=user --qdf).
            #expect(try producer(document) == "Adobe Acrobat 10.268")
        }
    }

    @Test func encryptionParametersAreReported() throws {
        let expected: [String: (Int, PDFEncryptionInfo.Cipher, Int)] = [
            "rc4-40.pdf": (2, .rc4, 40), "rc4-128.pdf": (3, .rc4, 128), "aes-128.pdf": (4, .aes128, 128),
            "aes-256-r5.pdf": (5, .aes256, 256), "aes-256-r6.pdf": (6, .aes256, 256),
        ]
        for (name, (revision, cipher, bits)) in expected {
            let user = try PDFDocument(bytes: try PDFFixture.bytes("encrypted", name), options: .init(password: "userpw"))
            let info = try #require(user.encryption)
            #expect(info.revision == revision && info.streamCipher == cipher && info.keyBits == bits, "\(name)")
            #expect(!info.openedWithOwnerPassword)
            let owner = try PDFDocument(bytes: try PDFFixture.bytes("encrypted", name), options: .init(password: "ownerpw"))
            #expect(owner.encryption?.openedWithOwnerPassword == true)
        }
        // PDFBox's sample allows form filling only (SOURCES.txt); qpdf --show-encryption agrees.
        let sample = try PDFDocument(bytes: try PDFFixture.corpus("pdfbox-PasswordSample-256bit.pdf"), options: .init(password: "user"))
        let info = try #require(sample.encryption)
        #expect(info.mayFillForms)
        #expect(!info.mayModify)
        #expect(try PDFDocument(bytes: try PDFFixture.corpus("sf-minimal-document.pdf")).encryption == nil)
    }

    @Test(.peerExecutable("qpdf")) func pageCountsMatchQpdfWithPassword() throws {
        guard TestEnvironment.peerAvailable("qpdf", TestEnvironment.executable("qpdf") != nil) else { return }
        let qpdf = try #require(TestEnvironment.executable("qpdf"))
        let url = PDFFixture.url("corpus", "pdfbox-PasswordSample-256bit.pdf")
        let result = try TestEnvironment.run(qpdf, ["--password=user", "--show-npages", url.path])
        let count = try #require(Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let document = try PDFDocument(bytes: try PDFFixture.corpus("pdfbox-PasswordSample-256bit.pdf"),
            options: .init(password: "user"))
        #expect(try document.pages().count == count)
    }
}
