import Foundation

/// What `start()` recorded about the embedded cluster (`<home>/postgres.json`), so later processes find
/// it again: where the data lives (it may be outside the home when running as root), the port and the user.
struct ClusterState: Codable, Sendable, Equatable {
    var dataDirectory: String
    var socketDirectory: String?
    var port: Int
    var user: String
    var binDirectory: String?

    static func load(from url: URL) -> ClusterState? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(ClusterState.self, from: data)
    }

    func save(to url: URL) throws(PGError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw PGError(.embeddedServerFailed, "cannot write \(url.path): \(error)")
        }
    }
}
