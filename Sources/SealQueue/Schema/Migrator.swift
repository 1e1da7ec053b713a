import Postgres

/// Applies ``Migration/all`` to a database: versioned, idempotent, serialised by an advisory lock.
public enum Migrator {
    /// Advisory lock key held while migrating ("sealpres" as ASCII).
    static let lockKey: Int64 = 0x7365_616C_7072_6573

    /// Applies every migration not yet recorded and returns the ones it applied (empty when up to date).
    ///
    /// - Throws: ``QueueError/Code/schemaTooNew`` when the database holds a version this build does not know.
    @discardableResult
    public static func migrate(_ connection: PGConnection, migrations: [Migration] = Migration.all) throws
        -> [Migration]
    {
        _ = try connection.query("SELECT pg_advisory_lock($1)", [.int64(lockKey)])
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [.int64(lockKey)]) }
        try connection.execute("""
            SET client_min_messages = warning;
            CREATE SCHEMA IF NOT EXISTS sealpress;
            CREATE TABLE IF NOT EXISTS sealpress.schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now());
            RESET client_min_messages;
            """)
        let applied = Set(try connection.query("SELECT version FROM sealpress.schema_migrations").map { try $0.int(0) })
        let known = Set(migrations.map(\.version))
        if let unknown = applied.subtracting(known).max() {
            throw QueueError(.schemaTooNew, "the database schema is at version \(unknown), newer than this sealpress "
                + "(knows up to \(known.max() ?? 0)); upgrade sealpress")
        }
        var done: [Migration] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
            try connection.transaction { connection in
                try connection.execute(migration.sql)
                _ = try connection.query(
                    "INSERT INTO sealpress.schema_migrations (version, name) VALUES ($1::int, $2)",
                    [.int(migration.version), .text(migration.name)])
            }
            done.append(migration)
        }
        return done
    }

    /// The highest applied version, or nil when the database was never migrated.
    public static func currentVersion(_ connection: PGConnection) throws -> Int? {
        let exists = try connection.query("SELECT to_regclass('sealpress.schema_migrations') IS NOT NULL")
        guard try exists[0].bool(0) else { return nil }
        return try connection.query("SELECT max(version) FROM sealpress.schema_migrations")[0].optionalInt(0)
    }

    /// Throws ``QueueError/Code/schemaMissing`` unless every one of `migrations` is applied (a database migrated by
    /// an older build may hold a higher version and still miss a lower one added since).
    public static func requireCurrent(_ connection: PGConnection, migrations: [Migration] = Migration.all) throws {
        let missing = "the database has no up-to-date SealPress schema; run `sealpress migrate`"
        guard try currentVersion(connection) != nil else { throw QueueError(.schemaMissing, missing) }
        let applied = Set(try connection.query("SELECT version FROM sealpress.schema_migrations").map { try $0.int(0) })
        guard migrations.allSatisfy({ applied.contains($0.version) }) else { throw QueueError(.schemaMissing, missing) }
    }
}
