import Foundation
import Postgres
import Synchronization

/// The PostgreSQL server of a test process: one throwaway embedded cluster (fsync off, temporary home),
/// started lazily on first use, shared by every test, and stopped and deleted at process exit.
///
/// Each test or suite takes a fresh database with ``makeDatabase(prefix:)``, so tests never see each
/// other's rows and can run in parallel. With `SEALPRESS_TEST_DATABASE_URL` set, that server is used
/// instead (its databases are dropped at exit) and ``restart()`` is unavailable.
public final class TestPostgres: Sendable {
    /// The one instance per test process.
    public static let shared = TestPostgres()

    private struct State {
        var cluster: EmbeddedPostgres?
        var home: URL?
        var adminURL: String?
        var startFailure: PGError?
        var createdDatabases: [String] = []
        var exitHandlerInstalled = false
        var privateHomes: [URL] = []
    }

    private let state = Mutex(State())

    private init() {}

    /// The URL of the server's `postgres` maintenance database; starts the cluster on first use.
    public func serverURL() throws(PGError) -> String {
        try state.withLock { (state) throws(PGError) -> String in try Self.start(&state) }
    }

    /// Creates an empty database with a unique name and returns its URL.
    public func makeDatabase(prefix: String = "test") throws(PGError) -> String {
        let created = try Self.createDatabase(adminURL: try serverURL(), prefix: prefix)
        state.withLock { $0.createdDatabases.append(created.name) }
        return created.url
    }

    /// A private cluster for a test that stops or restarts PostgreSQL (``restart()`` here would break
    /// every other test running in parallel on the shared cluster).
    public func makeCluster() throws(PGError) -> TestCluster {
        let home = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("sealpress-testpg-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        state.withLock { state in
            state.privateHomes.append(home)
            Self.installExitHandler(&state)
        }
        return try TestCluster(home: home)
    }

    static func createDatabase(adminURL: String, prefix: String) throws(PGError) -> (name: String, url: String) {
        let safePrefix = String(prefix.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.prefix(40))
        let name = "\(safePrefix)_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))"
        let connection = try PGConnection(adminURL)
        defer { connection.close() }
        try connection.execute("CREATE DATABASE \(PGConnection.quoteIdentifier(name))")
        return (name, url(adminURL, database: name))
    }

    /// The embedded cluster (nil when `SEALPRESS_TEST_DATABASE_URL` points elsewhere or before start).
    public var embedded: EmbeddedPostgres? {
        state.withLock { $0.cluster }
    }

    /// Stops and starts the shared embedded server on the same port (open connections get SQLSTATE 57P01).
    /// Every test running in parallel sees this; prefer a private ``makeCluster()`` for restart tests.
    /// - Throws: ``PGError/Code/unsupported`` with `SEALPRESS_TEST_DATABASE_URL`.
    public func restart() throws(PGError) {
        let cluster = try embeddedCluster()
        _ = try cluster.restart()
    }

    /// Stops the embedded server (to test behaviour while the database is down); ``startServer()`` resumes.
    public func stopServer() throws(PGError) {
        try embeddedCluster().stop()
    }

    /// Starts the embedded server again after ``stopServer()``, on the same port when it is free.
    public func startServer() throws(PGError) {
        _ = try embeddedCluster().start()
    }

    private func embeddedCluster() throws(PGError) -> EmbeddedPostgres {
        _ = try serverURL()
        guard let cluster = state.withLock({ $0.cluster }) else {
            throw PGError(.unsupported, "restarting needs the embedded test cluster, not SEALPRESS_TEST_DATABASE_URL")
        }
        return cluster
    }

    private static func start(_ state: inout State) throws(PGError) -> String {
        if let adminURL = state.adminURL { return adminURL }
        if let startFailure = state.startFailure { throw startFailure }
        let environment = ProcessInfo.processInfo.environment
        if let external = environment["SEALPRESS_TEST_DATABASE_URL"], !external.isEmpty {
            state.adminURL = external
            installExitHandler(&state)
            return external
        }
        Self.removeOrphanedClusters()
        let home = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("sealpress-testpg-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        let cluster = EmbeddedPostgres(
            home: home, configuration: EmbeddedPostgres.Configuration(durable: false, maxConnections: 200))
        do throws(PGError) {
            let url = try cluster.start()
            let adminURL = Self.url(url, database: "postgres")
            state.cluster = cluster
            state.home = home
            state.adminURL = adminURL
            installExitHandler(&state)
            return adminURL
        } catch {
            state.startFailure = error
            try? cluster.destroy()
            try? FileManager.default.removeItem(at: home)
            throw error
        }
    }

    private static func installExitHandler(_ state: inout State) {
        guard !state.exitHandlerInstalled else { return }
        state.exitHandlerInstalled = true
        atexit { TestPostgres.shared.shutdown() }
    }

    /// Stops and deletes the embedded cluster, or drops the databases made on an external server.
    /// Runs at process exit; safe to call more than once.
    public func shutdown() {
        state.withLock { state in
            Self.shutdown(&state)
            state = State(startFailure: state.startFailure, exitHandlerInstalled: state.exitHandlerInstalled)
        }
    }

    private static func shutdown(_ state: inout State) {
        if let cluster = state.cluster {
            try? cluster.destroy()
            if let home = state.home { try? FileManager.default.removeItem(at: home) }
        } else if let adminURL = state.adminURL, let connection = try? PGConnection(adminURL) {
            for name in state.createdDatabases {
                try? connection.execute("DROP DATABASE IF EXISTS \(PGConnection.quoteIdentifier(name)) WITH (FORCE)")
            }
            connection.close()
        }
        for privateHome in state.privateHomes where FileManager.default.fileExists(atPath: privateHome.path) {
            TestCluster.remove(EmbeddedPostgres(home: privateHome))
        }
    }

    /// Stops and deletes test clusters left by test processes that were killed before their exit handler
    /// ran (`sealpress-testpg-<pid>-…` whose process is gone), so an interrupted run leaks no server.
    static func removeOrphanedClusters() {
        let temporary = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: temporary.path) else { return }
        for entry in entries where entry.hasPrefix("sealpress-testpg-") {
            let parts = entry.split(separator: "-")
            guard parts.count >= 4, let pid = Int32(parts[2]), pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }  // its test process still runs
            TestCluster.remove(EmbeddedPostgres(home: temporary.appendingPathComponent(entry, isDirectory: true)))
        }
    }

    /// `base` (a `postgres://` URI or a `key=value` conninfo) pointing at `database` instead.
    public static func url(_ base: String, database: String) -> String {
        if base.contains("://"), var components = URLComponents(string: base) {
            components.path = "/" + database
            if let string = components.string { return string }
        }
        let quoted = database.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return (base.isEmpty ? "" : base + " ") + "dbname='\(quoted)'"
    }
}
