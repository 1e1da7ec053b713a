import Foundation
import Postgres
import SealPipeline
import SealQueue
import SealTestSupport

/// A fresh database migrated with the queue's and the pipeline's migrations.
enum PipelineDatabase {
    static func fresh(prefix: String = "pipeline") throws -> String {
        let url = try TestPostgres.shared.makeDatabase(prefix: prefix)
        let connection = try PGConnection(url)
        defer { connection.close() }
        try Migrator.migrate(connection, migrations: PipelineSchema.allMigrations)
        return url
    }

    /// `url` with another user name (roles are cluster-wide; the embedded cluster trusts loopback logins).
    static func url(_ url: String, user: String, password: String? = nil) -> String {
        var components = URLComponents(string: url)!
        components.user = user
        components.password = password
        return components.string!
    }
}
