import Foundation

/// Page pictures for the report's "where the seal sits" drawings, rendered by poppler's `pdftoppm` when it is
/// installed. Without it (or when it fails) the report draws the page outline instead: a thumbnail is a courtesy,
/// never a requirement.
public enum PageThumbnails {
    /// PNG thumbnails (about `width` pixels wide) of the given 1-based pages of a PDF file, keyed by page number.
    public static func render(pdf path: String, pages: Set<Int>, width: Int = 360, password: String? = nil) -> [Int: [UInt8]] {
        guard let tool = executable("pdftoppm"), !pages.isEmpty else { return [:] }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sealpress-thumb-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)) != nil else { return [:] }
        defer { try? FileManager.default.removeItem(at: directory) }
        var result: [Int: [UInt8]] = [:]
        for page in pages.sorted().prefix(50) where page > 0 {
            let prefix = directory.appendingPathComponent("page\(page)")
            let process = Process()
            process.executableURL = tool
            var arguments = ["-png", "-f", "\(page)", "-l", "\(page)", "-singlefile", "-scale-to-x", "\(width)", "-scale-to-y", "-1"]
            if let password { arguments += ["-upw", password] }
            process.arguments = arguments + [path, prefix.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            process.waitUntilExit()
            if process.terminationStatus == 0, let data = try? Data(contentsOf: prefix.appendingPathExtension("png")) {
                result[page] = Array(data)
            }
        }
        return result
    }

    static func executable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
