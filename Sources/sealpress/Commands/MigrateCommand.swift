import ArgumentParser
import Postgres
import SealPipeline
import SealQueue

/// `sealpress migrate`: creates or upgrades the `sealpress` schema (versioned, idempotent).
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the database schema (versioned, idempotent; safe to run again).")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let applied: [Migration]
        do {
            applied = try Migrator.migrate(connection, migrations: PipelineSchema.allMigrations)
        } catch let error as QueueError {
            throw CouldNotRun(error.reason)
        } catch let error as PGError {
            throw CouldNotRun("migration failed: \(error.description)")
        }
        let version = (try? Migrator.currentVersion(connection)) ?? nil
        if applied.isEmpty {
            print("schema sealpress is up to date (version \(version ?? 0))")
        } else {
            for migration in applied { print("applied migration \(migration.version): \(migration.name)") }
            print("schema sealpress is at version \(version ?? 0)")
        }
    }
}
