import Foundation
import SealReport

/// The PDF and OFD files named on a command line: files as given, directories walked recursively; the format is
/// read from each file's first bytes, never from its name.
enum DocumentFiles {
    struct Candidate {
        var url: URL
        var name: String
    }

    /// Every regular file under `paths`, sorted within each directory (formats are checked when read).
    static func candidates(_ paths: [String]) throws -> [Candidate] {
        var result: [Candidate] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CouldNotRun("\(path) does not exist")
            }
            let url = URL(fileURLWithPath: path)
            if !isDirectory.boolValue {
                result.append(Candidate(url: url, name: url.lastPathComponent))
                continue
            }
            guard let walker = FileManager.default.enumerator(
                at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            else { throw CouldNotRun("cannot read the directory \(path)") }
            var found: [URL] = []
            for case let file as URL in walker
            where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                found.append(file)
            }
            result += found.sorted { $0.path < $1.path }.map { Candidate(url: $0, name: $0.lastPathComponent) }
        }
        return result
    }

    /// The file's size and format (from its first bytes), or nil when it is neither PDF nor OFD; reads 1 KB.
    static func peek(_ candidate: Candidate) throws -> (size: Int, format: DocumentFormat)? {
        guard let handle = FileHandle(forReadingAtPath: candidate.url.path),
            let size = (try? FileManager.default.attributesOfItem(atPath: candidate.url.path)[.size]) as? Int
        else { throw CouldNotRun("cannot read \(candidate.url.path)") }
        defer { try? handle.close() }
        let head = handle.readData(ofLength: 1024)
        guard let format = DocumentFormat.detect(head) else { return nil }
        return (size, format)
    }

    /// Hands the file to `body` in pieces of `pieceBytes` (a large document is never read whole).
    static func readPieces(_ candidate: Candidate, pieceBytes: Int = 8 << 20, _ body: ([UInt8]) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: candidate.url.path) else {
            throw CouldNotRun("cannot read \(candidate.url.path)")
        }
        defer { try? handle.close() }
        while true {
            let piece = handle.readData(ofLength: pieceBytes)
            if piece.isEmpty { return }
            try body([UInt8](piece))
        }
    }

    /// The file's bytes and format, or nil when it is neither PDF nor OFD.
    static func read(_ candidate: Candidate) throws -> (data: Data, format: DocumentFormat)? {
        guard let data = FileManager.default.contents(atPath: candidate.url.path) else {
            throw CouldNotRun("cannot read \(candidate.url.path)")
        }
        guard let format = DocumentFormat.detect(data.prefix(1024)) else { return nil }
        return (data, format)
    }
}
