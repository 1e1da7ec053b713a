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

    /// The file's bytes and format, or nil when it is neither PDF nor OFD.
    static func read(_ candidate: Candidate) throws -> (data: Data, format: DocumentFormat)? {
        guard let data = FileManager.default.contents(atPath: candidate.url.path) else {
            throw CouldNotRun("cannot read \(candidate.url.path)")
        }
        guard let format = DocumentFormat.detect(data.prefix(1024)) else { return nil }
        return (data, format)
    }
}
