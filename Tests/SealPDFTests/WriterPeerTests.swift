import Foundation
import SealPDF
import SealTestSupport
import Testing

/// Our incremental update must leave existing signatures intact for an independent verifier.
@Suite struct WriterPeerTests {
    @Test(.peerExecutable("pyhanko"), arguments: ["pyhanko-signed-twice.pdf", "pyhanko-pades-lta-dss.pdf"])
    func infoOnlyUpdateKeepsEarlierSignaturesIntactForPyHanko(_ name: String) throws {
        guard TestEnvironment.peerAvailable("pyhanko", TestEnvironment.executable("pyhanko") != nil) else { return }
        let pyhanko = try #require(TestEnvironment.executable("pyhanko"))
        let document = try PDFDocument(bytes: try PDFFixture.corpus(name), options: .init(allowRepair: false))
        var update = PDFIncrementalUpdate(document: document)
        var info = try document.resolveDictionary(document.trailer["Info"]) ?? PDFDictionary()
        info["Producer"] = .string(PDFString(text: "SealPress incremental writer"))
        if let infoRef = document.trailer["Info"]?.referenceValue {
            update.replace(infoRef, with: .dictionary(info))
        } else {
            update.setTrailerEntries(["Info": .reference(update.add(.dictionary(info)))])
        }
        let (directory, file) = try PDFFixture.temporaryFile(try update.write().bytes)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try TestEnvironment.run(pyhanko, ["sign", "validate", "--no-revocation-check", file.path])
        let lines = result.stdout.split(separator: "\n").filter { $0.contains(":INTACT") || $0.contains(":INVALID") }
        #expect(!lines.isEmpty, "\(name): pyHanko printed no signature line: \(result.stdout) \(result.stderr.suffix(800))")
        for line in lines {
            #expect(line.contains(":INTACT:"), "\(name): \(line)")
            #expect(!line.contains("ILLEGAL_MODIFICATIONS"), "\(name): \(line)")
        }
    }
}
