import Foundation
import SealPDF
import SealTestSupport
import Testing

/// Loads PDFs from `Fixtures/` and runs the peer tools the reader tests compare against.
enum PDFFixture {
    static let root: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static func url(_ folder: String, _ name: String) -> URL {
        root.appendingPathComponent(folder).appendingPathComponent(name)
    }

    static func bytes(_ folder: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(folder, name)))
    }

    static func corpus(_ name: String) throws -> [UInt8] { try bytes("corpus", name) }

    static var corpusNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("corpus").path)) ?? []
        return names.filter { $0.hasSuffix(".pdf") }.sorted()
    }

    /// Writes bytes to a temporary file for a peer tool; the caller removes the directory.
    static func temporaryFile(_ bytes: [UInt8], name: String = "out.pdf") throws -> (directory: URL, file: URL) {
        let directory = try TestEnvironment.temporaryDirectory("sealpdf")
        let file = directory.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return (directory, file)
    }
}

@Suite struct ReaderFixtureTests {
    @Test func everyCorpusFileIsListedWithOriginAndLicence() throws {
        let readme = try String(contentsOf: PDFFixture.url("corpus", "README.md"), encoding: .utf8)
        #expect(PDFFixture.corpusNames.count == 19)
        for name in PDFFixture.corpusNames {
            #expect(readme.contains("| \(name) |"), "\(name) is missing from Fixtures/corpus/README.md")
        }
    }
}
