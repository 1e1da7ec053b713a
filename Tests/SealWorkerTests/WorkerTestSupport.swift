import Foundation
import Postgres
import SealQueue
import SealTestSupport
import SealWorker

/// Helpers for the worker's database and command-line tests.
enum WorkerTestSupport {
    /// A new database with the queue schema, on the shared throwaway cluster.
    static func freshDatabase() throws -> String {
        let url = try TestPostgres.shared.makeDatabase(prefix: "worker")
        let connection = try PGConnection(url)
        defer { connection.close() }
        try Migrator.migrate(connection)
        return url
    }

    /// Runs `sealpress` with `environment` added to this process's; returns the status and stdout + stderr.
    static func sealpress(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, output: String)
    {
        guard let binary = TestBinaries.sealpress else {
            throw QueueError(.notFound, "the sealpress executable was not built; run `swift build --build-tests` first")
        }
        let result = try TestEnvironment.run(binary, arguments, environment: environment)
        return (result.status, result.stdout + result.stderr)
    }

    /// An environment in which no database is configured: no URL, no libpq variables, `home` as SealPress home.
    static func noDatabase(home: URL) -> [String: String] {
        var environment = ["SEALPRESS_HOME": home.path]
        for name in ["DATABASE_URL"] + DatabaseLocation.libpqVariables { environment[name] = "" }
        return environment
    }

    /// An in-process worker with test clocks that runs the built-in handlers until idle.
    static func runUntilIdle(url: String, idleWaitSeconds: Double = 60) throws -> WorkerSummary {
        let options = WorkerOptions(
            concurrency: 2, exitWhenIdle: true,
            timings: QueueTimings(
                pollSeconds: 0.2, fetchCooldownSeconds: 0.01, heartbeatSeconds: 0.2, rescueAfterSeconds: 1.5,
                promoteSeconds: 0.05, rescueSeconds: 0.2, pruneSeconds: 60),
            retryPolicy: RetryPolicy(baseSeconds: 0.1, maximumSeconds: 0.1, jitter: 0),
            idleWaitSeconds: idleWaitSeconds)
        return try Worker(options: options) { try PGConnection(url) }.run()
    }
}
