import ArgumentParser
import Foundation
import Logging
import Postgres

/// `--database-url`, shared by every command that talks to the queue database (`@OptionGroup`).
///
/// Resolution: `--database-url`, then `DATABASE_URL`, then libpq's `PG*` variables, and otherwise the
/// embedded cluster under `$SEALPRESS_HOME` (default `./.sealpress`), started on demand and left running
/// (`sealpress db stop` stops it).
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL URL or conninfo (default: $DATABASE_URL, then PG* variables, then the embedded cluster).",
            valueName: "url"))
    var databaseURL: String?

    init() {}

    /// Where the database is, without starting anything.
    func location(environment: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseLocation {
        DatabaseLocation.resolve(explicit: databaseURL, environment: environment)
    }

    /// The conninfo to connect with; starts the embedded cluster when that is the location.
    func resolveURL() throws -> String {
        switch location() {
        case .url(let url): return url
        case .environment: return ""
        case .embedded(let home):
            do {
                return try EmbeddedPostgres(home: home).start()
            } catch {
                throw CouldNotRun("cannot start the embedded PostgreSQL under \(home.path): \(error.description)")
            }
        }
    }

    /// Opens a connection to the resolved database.
    func connect(logger: Logger = Logger(label: "sealpress.postgres")) throws -> PGConnection {
        let url = try resolveURL()
        do {
            return try PGConnection(url, logger: logger)
        } catch {
            throw CouldNotRun("cannot connect to PostgreSQL: \(error.description)")
        }
    }
}
