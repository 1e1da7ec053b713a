import Foundation
import Synchronization

/// The service's request log: one JSON line per request (time, client, key, operation, digest hex, outcome,
/// HTTP status) to a file (appended) or stdout. Never key material, passwords or signatures.
public final class SigningLog: Sendable {
    /// One logged request.
    public struct Entry: Sendable, Encodable {
        var time: String
        var client: String
        var key: String
        var operation: String
        var digest: String?
        var algorithm: String?
        var scheme: String?
        var outcome: String
        var status: Int
    }

    private let handle: Mutex<FileHandle>

    /// Appends to `path`, or writes to stdout when nil.
    public init(path: String?) throws(KeyServiceError) {
        guard let path else {
            handle = Mutex(FileHandle.standardOutput)
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o640]) else {
                throw KeyServiceError(.configuration, "the log file \(path) cannot be created")
            }
        }
        guard let file = FileHandle(forWritingAtPath: path) else {
            throw KeyServiceError(.configuration, "the log file \(path) cannot be opened for writing")
        }
        file.seekToEndOfFile()
        handle = Mutex(file)
    }

    func record(_ entry: Entry) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(entry) else { return }
        line.append(0x0A)
        handle.withLock { $0.write(line) }
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
