import Foundation
import SealPDF
import SealTestSupport
import Testing

/// Every object we parse equals what qpdf parses (`qpdf --json=2`): an independent parser as the oracle.
@Suite struct ReaderQpdfOracleTests {
    static let files: [(folder: String, name: String, password: String?)] =
        PDFFixture.corpusNames.filter { $0 != "pdfbox-PasswordSample-256bit.pdf" }.map { ("corpus", $0, nil) }
        + [("corpus", "pdfbox-PasswordSample-256bit.pdf", "user"), ("encrypted", "aes-128.pdf", "userpw"),
           ("encrypted", "rc4-40.pdf", "userpw"), ("encrypted", "aes-256-xrefstream.pdf", "userpw")]

    @Test(.peerExecutable("qpdf"), arguments: files.map { "\($0.folder)/\($0.name)" })
    func objectsMatchQpdfJSON(_ path: String) throws {
        guard TestEnvironment.peerAvailable("qpdf", TestEnvironment.executable("qpdf") != nil) else { return }
        let qpdf = try #require(TestEnvironment.executable("qpdf"))
        let entry = try #require(Self.files.first { "\($0.folder)/\($0.name)" == path })
        let url = PDFFixture.url(entry.folder, entry.name)
        // Only files qpdf reads without complaint: on damaged ones it repairs differently, by design.
        var arguments = ["--check", url.path]
        if let password = entry.password { arguments.insert("--password=\(password)", at: 0) }
        guard try TestEnvironment.run(qpdf, arguments).status == 0 else { return }
        arguments = ["--json=2", "--json-key=qpdf", url.path]
        if let password = entry.password { arguments.insert("--password=\(password)", at: 0) }
        let result = try TestEnvironment.run(qpdf, arguments)
        try #require(result.status == 0, "qpdf --json failed: \(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let sections = try #require(json?["qpdf"] as? [Any])
        let objects = try #require(sections.last as? [String: Any])

        let document = try PDFDocument(
            bytes: try PDFFixture.bytes(entry.folder, entry.name), options: PDFReadOptions(password: entry.password))
        #expect(!document.wasRepaired)
        var compared = 0
        for (key, value) in objects {
            guard key.hasPrefix("obj:"), let wrapper = value as? [String: Any] else { continue }
            let parts = key.dropFirst(4).split(separator: " ")
            guard parts.count == 3, let number = Int(parts[0]), let generation = Int(parts[1]) else { continue }
            let ours = try document.object(PDFReference(number: number, generation: generation))
            if ours.isNull, let newest = Self.newestGeneration(of: number, in: document), newest != generation {
                // qpdf keeps superseded generations reachable; ISO 32000 (and we) treat a reference to a
                // generation the newest cross-reference no longer lists as null.
                continue
            }
            if let stream = wrapper["stream"] as? [String: Any] {
                guard case .stream(let ourStream) = ours else {
                    Issue.record("\(path) \(key): qpdf sees a stream, we see \(ours)")
                    continue
                }
                let mismatch = Self.difference(.dictionary(ourStream.dictionary), stream["dict"] as Any, at: key)
                #expect(mismatch == nil, "\(path): \(mismatch ?? "")")
            } else {
                let mismatch = Self.difference(ours, wrapper["value"] as Any, at: key)
                #expect(mismatch == nil, "\(path): \(mismatch ?? "")")
            }
            compared += 1
        }
        #expect(compared > 0)
    }

    static func newestGeneration(of number: Int, in document: PDFDocument) -> Int? {
        for revision in document.revisions.reversed() {
            switch revision.entries[number] {
            case .offset(_, let generation)?: return generation
            case .compressed?: return 0
            case .free?: return nil
            case nil: continue
            }
        }
        return nil
    }

    /// Nil when our object equals qpdf's JSON rendering of it, else where and how they differ.
    static func difference(_ ours: PDFObject, _ theirs: Any, at path: String) -> String? {
        switch ours {
        case .null:
            return theirs is NSNull ? nil : "\(path): null vs \(theirs)"
        case .boolean(let value):
            guard let number = theirs as? NSNumber else {
                return "\(path): bool vs \(theirs)"
            }
            return number.boolValue == value ? nil : "\(path): \(value) vs \(number)"
        case .integer(let value):
            guard let number = theirs as? NSNumber else { return "\(path): int vs \(theirs)" }
            return number.doubleValue == Double(value) ? nil : "\(path): \(value) vs \(number)"
        case .real(let value):
            guard let number = theirs as? NSNumber else { return "\(path): real vs \(theirs)" }
            return abs(number.doubleValue - value) <= 1e-6 * max(1, abs(value)) ? nil : "\(path): \(value) vs \(number)"
        case .name(let name):
            guard let text = theirs as? String else { return "\(path): name vs \(theirs)" }
            if text.hasPrefix("n:") { return nil }  // qpdf's form for names that are not UTF-8
            return text == "/" + name.string ? nil : "\(path): /\(name.string) vs \(text)"
        case .string(let string):
            guard let text = theirs as? String else { return "\(path): string vs \(theirs)" }
            if text.hasPrefix("u:") { return string.text == String(text.dropFirst(2)) ? nil : "\(path): text differs" }
            if text.hasPrefix("b:") {
                let hex = string.bytes.map { String(format: "%02x", $0) }.joined()
                return hex == text.dropFirst(2).lowercased() ? nil : "\(path): bytes differ"
            }
            return "\(path): unexpected qpdf string \(text.prefix(20))"
        case .reference(let ref):
            return (theirs as? String) == "\(ref.number) \(ref.generation) R" ? nil : "\(path): \(ref) vs \(theirs)"
        case .array(let items):
            guard let array = theirs as? [Any], array.count == items.count else {
                return "\(path): array of \(items.count) vs \(theirs)"
            }
            for (index, (item, other)) in zip(items, array).enumerated() {
                if let mismatch = difference(item, other, at: "\(path)[\(index)]") { return mismatch }
            }
            return nil
        case .dictionary(let dictionary):
            guard let other = theirs as? [String: Any] else { return "\(path): dictionary vs \(theirs)" }
            let ourKeys = Set(dictionary.entries.filter { !$0.value.isNull }.map { "/" + $0.key.string })
            let theirKeys = Set(other.filter { !($0.value is NSNull) }.keys.filter { !$0.hasPrefix("n:") })
            guard ourKeys == theirKeys else { return "\(path): keys \(ourKeys.sorted()) vs \(theirKeys.sorted())" }
            for entry in dictionary.entries where !entry.value.isNull {
                if let mismatch = difference(entry.value, other["/" + entry.key.string] as Any, at: "\(path)/\(entry.key.string)") {
                    return mismatch
                }
            }
            return nil
        case .stream:
            return "\(path): nested stream"
        }
    }
}
