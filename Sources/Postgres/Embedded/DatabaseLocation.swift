import Foundation

/// Which PostgreSQL server SealPress uses, decided once from flags and the environment.
///
/// Precedence: an explicit URL (`--database-url`), then `DATABASE_URL`, then libpq's own `PG*` variables
/// (`PGHOST`, `PGHOSTADDR`, `PGPORT`, `PGDATABASE`, `PGSERVICE`, `PGUSER`), and otherwise the embedded
/// cluster under the SealPress home (`$SEALPRESS_HOME`, default `./.sealpress`).
public enum DatabaseLocation: Sendable, Hashable {
    /// A connection string or `postgres://` URI.
    case url(String)
    /// libpq's `PG*` environment variables (conninfo `""`).
    case environment
    /// The embedded cluster kept under this home directory (see ``EmbeddedPostgres``).
    case embedded(home: URL)

    /// The libpq variables that select a server.
    public static let libpqVariables = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGSERVICE", "PGUSER"]

    /// Decides where the database is.
    ///
    /// - Parameters:
    ///   - explicit: the `--database-url` value, if given (empty counts as not given).
    ///   - environment: the process environment.
    ///   - home: the SealPress home for the embedded cluster; nil uses ``defaultHome(environment:)``.
    public static func resolve(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment, home: URL? = nil
    ) -> DatabaseLocation {
        if let explicit, !explicit.isEmpty { return .url(explicit) }
        if let url = environment["DATABASE_URL"], !url.isEmpty { return .url(url) }
        if libpqVariables.contains(where: { !(environment[$0] ?? "").isEmpty }) { return .environment }
        return .embedded(home: home ?? defaultHome(environment: environment))
    }

    /// `$SEALPRESS_HOME`, or `.sealpress` in the current directory.
    public static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["SEALPRESS_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true).standardizedFileURL
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            .appendingPathComponent(".sealpress", isDirectory: true)
    }

    /// The libpq conninfo for `.url` and `.environment`; nil for `.embedded` (start the cluster first).
    public var conninfo: String? {
        switch self {
        case .url(let url): url
        case .environment: ""
        case .embedded: nil
        }
    }
}
