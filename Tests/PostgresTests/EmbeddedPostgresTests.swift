import Dispatch
import Foundation
import Postgres
import SealTestSupport
import Synchronization
import Testing

/// The embedded cluster each test makes here is its own (a fresh home), separate from TestPostgres.shared.
@Suite struct EmbeddedPostgresTests {
    private func withCluster(
        _ configuration: EmbeddedPostgres.Configuration = .throwaway, _ body: (EmbeddedPostgres) throws -> Void
    ) throws {
        let home = try TestEnvironment.temporaryDirectory("sealpress-embedded")
        let cluster = EmbeddedPostgres(home: home, configuration: configuration)
        defer {
            try? cluster.destroy()
            try? FileManager.default.removeItem(at: home)
        }
        try body(cluster)
    }

    @Test func startStatusStopAndIdempotentStart() throws {
        try withCluster { cluster in
            #expect(cluster.status() == .notInitialized)
            #expect(cluster.url == nil)
            let url = try cluster.start()
            #expect(url.hasPrefix("postgresql://"))
            #expect(url.contains("@127.0.0.1:"))
            #expect(url.hasSuffix("/sealpress"))
            guard case .running(let statusURL, let pid) = cluster.status() else {
                Issue.record("cluster not running after start: \(cluster.status())")
                return
            }
            #expect(statusURL == url)
            #expect(pid > 0)

            let connection = try PGConnection(url)
            #expect(try connection.query("SELECT current_database() AS db")[row: 0].string("db") == "sealpress")
            let listen = try connection.query("SHOW listen_addresses")[row: 0].string(0)
            #expect(listen == "127.0.0.1")
            connection.close()

            // Starting again while running changes nothing.
            #expect(try cluster.start() == url)
            #expect(cluster.status() == .running(url: url, pid: pid))

            try cluster.stop()
            #expect(cluster.status() == .stopped)
            #expect(cluster.url == nil)
            #expect(throws: PGError(.connectionFailed, "")) { _ = try PGConnection(url) }
            try cluster.stop()  // stopping a stopped cluster is fine

            // The data survives a stop/start, on the same port.
            #expect(try cluster.start() == url)
            let again = try PGConnection(url)
            #expect(try again.query("SELECT 1 AS one")[row: 0].int("one") == 1)
        }
    }

    @Test func dataSurvivesRestartAndOldSessionsSeeAConnectionError() throws {
        try withCluster { cluster in
            let url = try cluster.start()
            let connection = try PGConnection(url)
            try connection.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)")
            #expect(try cluster.restart() == url)
            let error = #expect(throws: PGError.self) { try connection.query("SELECT n FROM kept") }
            #expect(error?.isConnectionError == true)
            try connection.reset()
            #expect(try connection.query("SELECT n FROM kept")[row: 0].int("n") == 7)
        }
    }

    @Test func concurrentStartsInitialiseOnceAndAgreeOnTheURL() throws {
        try withCluster { cluster in
            let results = LockedResults()
            DispatchQueue.concurrentPerform(iterations: 3) { _ in
                // Separate instances, as separate processes would have.
                let instance = EmbeddedPostgres(home: cluster.home, configuration: .throwaway)
                do throws(PGError) {
                    results.append(.success(try instance.start()))
                } catch {
                    results.append(.failure(error))
                }
            }
            let urls = try results.values.map { try $0.get() }
            #expect(urls.count == 3)
            #expect(Set(urls).count == 1)
            let log = try String(contentsOf: cluster.logFile, encoding: .utf8)
            #expect(log.components(separatedBy: "database system is ready to accept connections").count == 2)
        }
    }

    @Test func startsAgainAfterTheServerWasKilledAndKeepsCommittedData() throws {
        // Durable settings: a committed row must survive the server being killed.
        try withCluster(EmbeddedPostgres.Configuration()) { cluster in
            let url = try cluster.start()
            try PGConnection(url).execute("CREATE TABLE survived (n int); INSERT INTO survived VALUES (42)")
            guard case .running(_, let pid) = cluster.status() else {
                Issue.record("not running")
                return
            }
            kill(pid, SIGKILL)  // leaves postmaster.pid and socket lock files behind
            let deadline = Date().addingTimeInterval(30)
            while cluster.status() != .stopped, Date() < deadline { usleep(20_000) }
            #expect(cluster.status() == .stopped)
            #expect(try cluster.start() == url)
            #expect(try PGConnection(url).query("SELECT n FROM survived")[row: 0].int("n") == 42)
        }
    }

    @Test func homeThePostgresAccountCannotEnterStillWorks() throws {
        let parent = try TestEnvironment.temporaryDirectory("sealpress-private")
        defer { try? FileManager.default.removeItem(at: parent) }
        #expect(chmod(parent.path, 0o700) == 0)
        let home = parent.appendingPathComponent("home", isDirectory: true)
        let cluster = EmbeddedPostgres(home: home, configuration: .throwaway)
        defer { try? cluster.destroy() }
        let url = try cluster.start()
        #expect(try PGConnection(url).query("SELECT 1 AS one")[row: 0].int("one") == 1)
        let data = try #require(cluster.dataDirectory)
        if geteuid() == 0 {
            // The server runs as postgres, which cannot traverse a 0700 root directory: data lives elsewhere.
            #expect(!data.path.hasPrefix(home.path))
            try cluster.destroy()
            #expect(!FileManager.default.fileExists(atPath: data.path))
        } else {
            #expect(data.path.hasPrefix(home.path))
        }
    }

    @Test func missingBinariesAreATypedError() throws {
        let environment = ["SEALPRESS_PG_BIN": "/nonexistent", "PATH": "/usr/bin:/bin"]
        let error = #expect(throws: PGError.self) { _ = try EmbeddedPostgres.findBinaries(environment: environment) }
        #expect(error?.code == .binariesNotFound)
        #expect(error?.description.contains("/nonexistent") == true)

        let home = try TestEnvironment.temporaryDirectory("sealpress-nobin")
        defer { try? FileManager.default.removeItem(at: home) }
        let cluster = EmbeddedPostgres(
            home: home, configuration: EmbeddedPostgres.Configuration(durable: false, environment: environment))
        #expect(throws: PGError(.binariesNotFound, "")) { _ = try cluster.start() }
        #expect(cluster.status() == .notInitialized)
    }

    @Test func binariesAreFoundOnThisMachine() throws {
        let directory = try EmbeddedPostgres.findBinaries()
        for program in ["initdb", "pg_ctl", "postgres"] {
            #expect(FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent(program).path))
        }
    }
}

/// Collects results from concurrent work.
private final class LockedResults: Sendable {
    private let storage = Mutex<[Result<String, PGError>]>([])
    func append(_ value: Result<String, PGError>) {
        storage.withLock { $0.append(value) }
    }
    var values: [Result<String, PGError>] {
        storage.withLock { $0 }
    }
}
