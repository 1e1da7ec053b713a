import Foundation
import Postgres

/// A private throwaway PostgreSQL cluster for one test that stops, restarts or breaks the server,
/// so tests sharing ``TestPostgres/shared`` are not disturbed. Deleted when released, and at process
/// exit at the latest. Costs about a second to create.
public final class TestCluster: Sendable {
    /// The cluster itself (start/stop/restart/status).
    public let embedded: EmbeddedPostgres
    /// URL of the cluster's `sealpress` database (valid while it runs).
    public let url: String

    init(home: URL) throws(PGError) {
        embedded = EmbeddedPostgres(
            home: home, configuration: EmbeddedPostgres.Configuration(durable: false, maxConnections: 100))
        do throws(PGError) {
            url = try embedded.start()
        } catch {
            TestCluster.remove(embedded)
            throw error
        }
    }

    deinit { TestCluster.remove(embedded) }

    static func remove(_ cluster: EmbeddedPostgres) {
        try? cluster.destroy()
        try? FileManager.default.removeItem(at: cluster.home)
    }

    /// Creates an empty database with a unique name and returns its URL.
    public func makeDatabase(prefix: String = "test") throws(PGError) -> String {
        try TestPostgres.createDatabase(adminURL: TestPostgres.url(url, database: "postgres"), prefix: prefix).url
    }

    /// Stops and starts the server on the same port; open sessions see a connection error (57P01).
    public func restart() throws(PGError) { _ = try embedded.restart() }

    /// Stops the server (fast shutdown).
    public func stop() throws(PGError) { try embedded.stop() }

    /// Starts the server again on the same port when it is free.
    public func start() throws(PGError) { _ = try embedded.start() }
}
