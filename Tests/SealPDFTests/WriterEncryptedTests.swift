import Foundation
import SealPDF
import SealTestSupport
import Testing

@Suite struct WriterEncryptedTests {
    static let files = EncryptionReaderTests.generated + ["aes-128-emptyuser.pdf"]

    @Test(arguments: files)
    func updateKeepsEncryptionAndEncryptsNewStrings(_ name: String) throws {
        let input = try PDFFixture.bytes("encrypted", name)
        let password = name == "aes-128-emptyuser.pdf" ? nil : "userpw"
        let document = try PDFDocument(bytes: input, options: PDFReadOptions(password: password))
        var update = PDFIncrementalUpdate(document: document)
        let secret = "SealPressSecretMarker"
        let info = update.add(.dictionary(["Producer": .string(PDFString(text: secret))]))
        let content = update.add(.stream(PDFStream(dictionary: [:], rawData: Array("BT /F1 12 Tf (\(secret)) Tj ET".utf8))))
        let hexPlaceholder = [UInt8](repeating: 0x5A, count: 32)
        let signature = update.add(.dictionary([
            "Type": .name("Sig"), "Reason": .string(PDFString(text: secret)),
            "Contents": .string(PDFString(bytes: hexPlaceholder, isHex: true)),
        ]), unencryptedKeys: ["Contents"])
        update.setTrailerEntries(["Info": .reference(info)])
        let written = try update.write()
        #expect(Array(written.bytes.prefix(input.count)) == input)
        // Nothing readable leaks into the appended bytes except the deliberately plain /Contents.
        let appended = String(decoding: written.appended, as: UTF8.self)
        #expect(!appended.contains(secret))
        #expect(!appended.contains(String(secret.utf8.map { String(format: "%02X", $0) }.joined())))
        #expect(appended.contains(String(repeating: "5A", count: 32)))
        #expect(appended.contains("/Encrypt"))

        let reopened = try PDFDocument(bytes: written.bytes, options: PDFReadOptions(password: password, allowRepair: false))
        #expect(reopened.isEncrypted)
        #expect(try reopened.resolveDictionary(reopened.trailer["Info"])?["Producer"]?.stringValue?.text == secret)
        let stream = try #require(try reopened.object(content).streamValue)
        #expect(String(decoding: try reopened.decodedData(of: stream), as: UTF8.self).contains(secret))
        let sig = try #require(try reopened.object(signature).dictionaryValue)
        #expect(sig["Contents"]?.stringValue?.bytes == hexPlaceholder)
        #expect(sig["Reason"]?.stringValue?.text == secret)
        #expect(reopened.trailer["ID"]?.arrayValue?.first == document.trailer["ID"]?.arrayValue?.first.map {
            .string(PDFString(bytes: $0.stringValue?.bytes ?? [], isHex: true)) })
    }

    @Test(.peerExecutable("qpdf"), arguments: files)
    func qpdfDecryptsAndChecksTheUpdate(_ name: String) throws {
        guard TestEnvironment.peerAvailable("qpdf", TestEnvironment.executable("qpdf") != nil) else { return }
        let qpdf = try #require(TestEnvironment.executable("qpdf"))
        let password = name == "aes-128-emptyuser.pdf" ? "" : "userpw"
        let document = try PDFDocument(
            bytes: try PDFFixture.bytes("encrypted", name), options: PDFReadOptions(password: password.isEmpty ? nil : password))
        var update = PDFIncrementalUpdate(document: document)
        let info = update.add(.dictionary(["Producer": .string(PDFString(text: "QpdfReadsThis"))]))
        update.setTrailerEntries(["Info": .reference(info)])
        let (directory, file) = try PDFFixture.temporaryFile(try update.write().bytes)
        defer { try? FileManager.default.removeItem(at: directory) }
        let check = try TestEnvironment.run(qpdf, ["--password=\(password)", "--check", file.path])
        #expect(check.status == 0, "\(name): \(check.stdout.suffix(400)) \(check.stderr.suffix(400))")
        let shown = try TestEnvironment.run(qpdf, ["--password=\(password)", "--show-object=\(info.number)", file.path])
        #expect(shown.stdout.contains("QpdfReadsThis"), "\(name): qpdf shows \(shown.stdout) \(shown.stderr)")
        let encryption = try TestEnvironment.run(qpdf, ["--password=\(password)", "--show-encryption", file.path])
        #expect(!encryption.stdout.contains("File is not encrypted"))
    }
}
