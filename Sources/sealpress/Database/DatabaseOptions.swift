import ArgumentParser
import Foundation
import Logging
import Postgres

/// `--database-url`, shared by every command that talks to the queue database (`@OptionGroup`).
///
/// Resolution: `--database-url`, then `DATABASE_URL`, then libpq's `PG*` variables, and otherwise the
/// embedded cluster under `$SEALPRESS_HOME` (default `./.sealpress`). Commands that write (enqueue, worker,
/// migrate, cancel) start that cluster on demand and leave it running (`sealpress db stop` stops it); read-only
/// commands (status, audit, export) use it only when it already runs (``connectExisting()``).
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL URL or conninfo (default: $DATABASE_URL, then PG* variables, then the embedded cluster).",
            valueName: "url"))
    var databaseURL: String?

    init() {}

    /// Where the database is, without starting anything.
    ///
    /// - Throws: ``DatabaseURLError`` when the URL given is neither a PostgreSQL URL nor a conninfo string.
    func location(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseLocation {
        let location = DatabaseLocation.resolve(explicit: databaseURL, environment: environment)
        if case .url(let url) = location {
            let source = (databaseURL ?? "").isEmpty ? "DATABASE_URL" : "--database-url"
            try DatabaseURLError.check(url, source: source)
        }
        return location
    }

    /// The conninfo to connect with; starts the embedded cluster when that is the location.
    func resolveURL() throws -> String {
        switch try location() {
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

    /// Opens a connection to the resolved database (starting the embedded cluster if need be).
    func connect(logger: Logger = Logger(label: "sealpress.postgres")) throws -> PGConnection {
        try open(try resolveURL(), logger: logger)
    }

    /// Opens a connection to a database that already exists, never creating or starting one: for read-only
    /// commands. Without a URL and without a running embedded cluster, says how to point at a database.
    func connectExisting(logger: Logger = Logger(label: "sealpress.postgres")) throws -> PGConnection {
        switch try location() {
        case .url(let url):
            return try open(url, logger: logger)
        case .environment:
            return try open("", logger: logger)
        case .embedded(let home):
            switch EmbeddedPostgres(home: home).status() {
            case .running(let url, _):
                return try open(url, logger: logger)
            case .stopped:
                throw CouldNotRun("the embedded PostgreSQL under \(home.path) is stopped: start it with "
                    + "`sealpress db start`, or point at a server with DATABASE_URL or --database-url "
                    + "(postgresql://user@host:5432/database)")
            case .notInitialized:
                throw CouldNotRun("no database to read: set DATABASE_URL or --database-url "
                    + "(postgresql://user@host:5432/database), or create the embedded one under \(home.path) with "
                    + "`sealpress db start` and `sealpress migrate`")
            }
        }
    }

    private func open(_ url: String, logger: Logger) throws -> PGConnection {
        do {
            return try PGConnection(url, logger: logger)
        } catch {
            throw CouldNotRun("cannot connect to PostgreSQL: \(error.description)")
        }
    }
}

/// A database URL that libpq could not use: neither `postgres[ql]://…` nor a `key=value` conninfo. The message
/// never repeats the URL (it may hold a password).
struct DatabaseURLError: Error, Hashable, CustomStringConvertible {
    struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case unparseable }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        var description: String { base.rawValue }

        /// Not a URL or conninfo libpq accepts.
        static let unparseable = Code(.unparseable)
    }

    var code: Code
    var reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    var description: String { reason }

    static func == (lhs: DatabaseURLError, rhs: DatabaseURLError) -> Bool { lhs.code == rhs.code }
    func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// Throws unless `url` is a `postgres://` / `postgresql://` URL or a `key=value …` conninfo string.
    static func check(_ url: String, source: String) throws(DatabaseURLError) {
        guard !isValid(url) else { return }
        throw DatabaseURLError(
            .unparseable,
            "\(source) is not a PostgreSQL URL: use postgresql://user[:password]@host[:port]/database "
                + "(or a conninfo such as \"host=db.example port=5432 dbname=sealpress user=sealpress\")")
    }

    static func isValid(_ url: String) -> Bool {
        let text = url.trimmingCharacters(in: .whitespaces)
        let lower = text.lowercased()
        if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
            guard let components = URLComponents(string: text) else { return false }
            // URLComponents accepts a non-numeric port in some versions: check it ourselves.
            let authority = text.dropFirst(lower.hasPrefix("postgres://") ? 11 : 13).prefix { $0 != "/" && $0 != "?" }
            let hostPart = authority.split(separator: "@").last.map(String.init) ?? ""
            if !hostPart.hasPrefix("["), let colon = hostPart.lastIndex(of: ":") {
                let port = hostPart[hostPart.index(after: colon)...]
                for single in port.split(separator: ",", omittingEmptySubsequences: false)
                where !single.isEmpty && !single.allSatisfy(\.isNumber) {
                    return false
                }
            }
            return components.scheme != nil
        }
        return isConninfo(text)
    }

    /// `key=value` pairs separated by spaces; values may be single-quoted with backslash escapes.
    static func isConninfo(_ text: String) -> Bool {
        var characters = Substring(text)
        var pairs = 0
        while true {
            characters = characters.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
            if characters.isEmpty { return pairs > 0 }
            let key = characters.prefix { $0.isLetter || $0 == "_" }
            guard !key.isEmpty else { return false }
            characters = characters.dropFirst(key.count).drop { $0 == " " }
            guard characters.first == "=" else { return false }
            characters = characters.dropFirst().drop { $0 == " " }
            if characters.first == "'" {
                characters = characters.dropFirst()
                var closed = false
                while let next = characters.first {
                    characters = characters.dropFirst()
                    if next == "\\" { characters = characters.dropFirst(); continue }
                    if next == "'" { closed = true; break }
                }
                guard closed else { return false }
            } else {
                characters = characters.drop { $0 != " " && $0 != "\t" && $0 != "\n" }
            }
            pairs += 1
        }
    }
}
