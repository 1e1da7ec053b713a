// libFuzzer entry point for the OFD engine: the ZIP reader, the XML parser, the document model, the text locator
// and the whole verifier (signature lists, Signature.xml, SignedValue.dat as SES or CMS, seals) take arbitrary
// bytes and must answer with a typed error or a report, never a crash, hang or huge allocation.
//
// Two modes, chosen by the input:
// - an input starting with "PK" is a whole package, mutated as bytes (ZIP structure, compression, everything);
// - any other input is structure-aware: [template byte] [entry path] NUL [contents] replaces (or adds) one entry of a
//   real OFD from Tests/SealOFDTests/Fixtures/corpus, re-zipped with valid CRCs, so mutations reach the XML and
//   signature parsers instead of dying at a CRC check. Fuzz/OFD/build.sh writes a seed of this form per entry.
// Built by Fuzz/OFD/build.sh; see Docs/reliability.md, "Fuzzing".
import Foundation
@testable import SealOFD

/// The fixtures small enough to re-zip on every input, in byte order of their names (build.sh uses the same order).
private let templates: [ZipArchive] = {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Tests/SealOFDTests/Fixtures/corpus").standardizedFileURL
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".ofd") }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    var archives: [ZipArchive] = []
    for name in names {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
            data.count <= 40_000, let archive = try? ZipArchive(Array(data))
        else { continue }
        archives.append(archive)
    }
    if archives.isEmpty, let sample = try? OFDSampleDocument.make(pages: 1), let archive = try? ZipArchive(sample) {
        archives.append(archive)
    }
    return archives
}()

/// The structure-aware mode: the template's entries with one replaced or added.
private func repackaged(_ bytes: [UInt8]) -> [UInt8]? {
    guard let first = bytes.first, let nul = bytes.dropFirst().firstIndex(of: 0), !templates.isEmpty else { return nil }
    let template = templates[Int(first) % templates.count]
    let path = String(decoding: bytes[1..<nul], as: UTF8.self)
    var writer = ZipWriter()
    do {
        for entry in template.entries where entry.path != path { try writer.copy(entry, from: template) }
        try writer.add(path: path, contents: Array(bytes[(nul + 1)...]), time: 0, date: 0x21)
        return try writer.finish()
    } catch {
        return nil
    }
}

private func exercise(_ bytes: [UInt8]) {
    let limits = OFDPackageLimits(maxEntries: 256, maxEntryBytes: 4 << 20, maxTotalBytes: 16 << 20, maxXMLBytes: 1 << 20)
    if let package = try? OFDPackage(bytes, limits: limits) {
        for path in package.archive.filePaths.prefix(64) { _ = try? package.read(path) }
        _ = try? OFDDocument(package: package)
        if let locator = try? OFDTextLocator(package: package) {
            for page in 1...3 { _ = try? locator.glyphs(page: page) }
            _ = try? locator.find(["ab", "一"], pages: 1...3)
        }
    }
    _ = OFDVerifier.verify(bytes, limits: limits)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if bytes.starts(with: [0x50, 0x4B]) {
        exercise(bytes)
    } else if let package = repackaged(bytes) {
        exercise(package)
    }
    return 0
}
