import Foundation
@testable import SealOFD

/// Test inputs from `Fixtures/` and small builders for hand-made packages.
enum Fixture {
    static let folder: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent("corpus").appendingPathComponent(name)))
    }

    /// A ZIP with the given entries, written by our writer (names are stored exactly as given).
    static func zip(_ files: [(String, [UInt8])]) throws -> [UInt8] {
        var writer = ZipWriter()
        for (name, contents) in files { try writer.add(path: name, contents: contents, time: 0, date: 33) }
        return try writer.finish()
    }

    static func generatedOFD(pages: Int) throws -> [UInt8] { try OFDSampleDocument.make(pages: pages) }
}
