import Foundation
import SealPDF
import SealTestSupport
import Testing

/// Builds small PDFs by hand for the text-location tests (uncompressed, one classic xref table).
struct HandPDF {
    private(set) var objects: [[UInt8]] = []

    /// Adds an object and returns its number.
    mutating func add(_ body: String) -> Int {
        objects.append(Array(body.utf8))
        return objects.count
    }

    /// Adds a stream object with the given extra dictionary entries.
    mutating func addStream(_ data: [UInt8], dictionary: String = "") -> Int {
        var body = Array("<< /Length \(data.count) \(dictionary) >>\nstream\n".utf8)
        body += data
        body += Array("\nendstream".utf8)
        objects.append(body)
        return objects.count
    }

    mutating func addStream(_ text: String, dictionary: String = "") -> Int {
        addStream(Array(text.utf8), dictionary: dictionary)
    }

    /// Reserves an object number to be filled later with ``set(_:_:)``.
    mutating func reserve() -> Int {
        objects.append([])
        return objects.count
    }

    mutating func set(_ number: Int, _ body: String) { objects[number - 1] = Array(body.utf8) }

    func bytes(root: Int) -> [UInt8] {
        var out = Array("%PDF-1.7\n%\u{E2}\u{E3}\n".utf8)
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        let xref = out.count
        out += Array("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n".utf8)
        for offset in offsets { out += Array(String(format: "%010d 00000 n \n", offset).utf8) }
        out += Array("trailer\n<< /Size \(objects.count + 1) /Root \(root) 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }
}

/// A word as poppler's `pdftotext -bbox-layout -cropbox` reports it, converted to our page space (mm from the
/// displayed page's bottom-left).
struct PopplerWord {
    var page: Int
    var text: String
    var box: PDFTextBox

    static func words(of file: URL) throws -> [PopplerWord]? {
        guard let pdftotext = TestEnvironment.executable("pdftotext") else { return nil }
        let result = try TestEnvironment.run(pdftotext, ["-bbox-layout", "-cropbox", file.path, "-"])
        guard result.status == 0 else { return nil }
        // pdftotext reports the unrotated page size; the rotation comes from pdfinfo.
        var rotations: [Int: Int] = [:]
        if let pdfinfo = TestEnvironment.executable("pdfinfo") {
            let info = try TestEnvironment.run(pdfinfo, ["-f", "1", "-l", "100000", file.path])
            for line in info.stdout.split(separator: "\n") where line.hasPrefix("Page") && line.contains(" rot:") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                if fields.count >= 4, let page = Int(fields[1]), let rotation = Int(fields[3]) { rotations[page] = rotation }
            }
        }
        let k = 25.4 / 72
        var words: [PopplerWord] = []
        var page = 0
        var height = 0.0
        for line in result.stdout.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<page ") {
                page += 1
                let sideways = (rotations[page] ?? 0) % 180 != 0
                height = Self.attribute(sideways ? "width" : "height", in: trimmed) ?? 0
            } else if trimmed.hasPrefix("<word "), let close = trimmed.firstIndex(of: ">"),
                let end = trimmed.range(of: "</word>"),
                let xMin = Self.attribute("xMin", in: trimmed), let yMin = Self.attribute("yMin", in: trimmed),
                let xMax = Self.attribute("xMax", in: trimmed), let yMax = Self.attribute("yMax", in: trimmed)
            {
                let text = String(trimmed[trimmed.index(after: close)..<end.lowerBound])
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                    .replacingOccurrences(of: "&amp;", with: "&")
                let box = PDFTextBox(
                    xMM: xMin * k, yMM: (height - yMax) * k, widthMM: (xMax - xMin) * k, heightMM: (yMax - yMin) * k)
                words.append(PopplerWord(page: page, text: text, box: box))
            }
        }
        return words
    }

    private static func attribute(_ name: String, in line: String) -> Double? {
        guard let range = line.range(of: " \(name)=\"") else { return nil }
        let rest = line[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return Double(rest[..<end])
    }
}

extension PDFTextBox {
    /// The largest distance between corresponding edges, in millimetres.
    func edgeDistance(_ other: PDFTextBox) -> Double {
        max(
            abs(xMM - other.xMM), abs(yMM - other.yMM), abs(xMM + widthMM - other.xMM - other.widthMM),
            abs(yMM + heightMM - other.yMM - other.heightMM))
    }
}
