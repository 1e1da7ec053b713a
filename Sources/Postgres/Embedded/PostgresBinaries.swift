import Foundation

extension EmbeddedPostgres {
    /// Finds the directory holding PostgreSQL's server programs (`initdb`, `pg_ctl`, `postgres`).
    ///
    /// Order: `$SEALPRESS_PG_BIN` (used alone when set), `initdb` on `PATH` (symlinks resolved),
    /// `pg_config --bindir`, the highest `/usr/lib/postgresql/*/bin`, then common macOS and source-build prefixes.
    ///
    /// - Throws: ``PGError/Code/binariesNotFound`` saying what to install.
    public static func findBinaries(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PGError) -> URL {
        if let explicit = environment["SEALPRESS_PG_BIN"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit, isDirectory: true)
            guard hasServerPrograms(url) else {
                throw PGError(
                    .binariesNotFound,
                    "PostgreSQL server binaries not found in SEALPRESS_PG_BIN=\(explicit) (needs initdb, pg_ctl, postgres)")
            }
            return url
        }
        var candidates: [URL] = []
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let initdb = URL(fileURLWithPath: String(directory)).appendingPathComponent("initdb")
            if FileManager.default.isExecutableFile(atPath: initdb.path) {
                candidates.append(initdb.resolvingSymlinksInPath().deletingLastPathComponent())
            }
        }
        for directory in path.split(separator: ":") {
            let pgConfig = URL(fileURLWithPath: String(directory)).appendingPathComponent("pg_config")
            guard FileManager.default.isExecutableFile(atPath: pgConfig.path),
                let outcome = try? ServerProcess.run([pgConfig.path, "--bindir"], environment: environment),
                outcome.status == 0
            else { continue }
            let bindir = outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
            if !bindir.isEmpty { candidates.append(URL(fileURLWithPath: bindir, isDirectory: true)) }
            break
        }
        candidates += versionedDirectories(under: "/usr/lib/postgresql", suffix: "bin")
        candidates += versionedDirectories(under: "/usr/pgsql", suffix: "bin", separator: "-")
        candidates += ["/opt/homebrew/bin", "/usr/local/pgsql/bin", "/Applications/Postgres.app/Contents/Versions/latest/bin"]
            .map { URL(fileURLWithPath: $0, isDirectory: true) }
        if let found = candidates.first(where: hasServerPrograms) { return found }
        throw PGError(.binariesNotFound, "PostgreSQL server binaries not found: apt-get install postgresql")
    }

    static func hasServerPrograms(_ directory: URL) -> Bool {
        ["initdb", "pg_ctl", "postgres"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent($0).path)
        }
    }

    /// `<root>/<N>/<suffix>` (or `<root>-<N>/<suffix>`) for every numeric version N, highest first.
    private static func versionedDirectories(under root: String, suffix: String, separator: String = "/") -> [URL] {
        let parent = separator == "/" ? root : (root as NSString).deletingLastPathComponent
        let prefix = separator == "/" ? "" : (root as NSString).lastPathComponent + separator
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return [] }
        let versions = entries.compactMap { entry -> (Double, String)? in
            guard entry.hasPrefix(prefix), let version = Double(entry.dropFirst(prefix.count)) else { return nil }
            return (version, entry)
        }
        return versions.sorted { $0.0 > $1.0 }.map {
            URL(fileURLWithPath: parent, isDirectory: true).appendingPathComponent($0.1).appendingPathComponent(suffix)
        }
    }
}
