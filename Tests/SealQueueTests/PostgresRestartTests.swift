import Foundation
import Postgres
import SealQueue
import SealTestSupport
import Testing

/// Workers survive a PostgreSQL restart in the middle of a run: they reconnect and nothing is lost or doubled.
@Suite(.serialized) struct PostgresRestartTests {
    @Test func workersReconnectAfterARestartAndFinishEverything() throws {
        // A private cluster: restarting the shared one would break the suites running beside this one.
        let home = try TestEnvironment.temporaryDirectory("sealpress-restart")
        let cluster = EmbeddedPostgres(home: home, configuration: .throwaway)
        defer {
            try? cluster.destroy()
            try? FileManager.default.removeItem(at: home)
        }
        let url = try cluster.start()
        try Migrator.migrate(try PGConnection(url))
        var connection = try PGConnection(url)
        let count = 200
        try JobQueue(connection: connection).enqueueMany(
            kind: "noop", argsJSON: (0..<count).map { "{\"sleep_ms\": 15, \"output\": \"r\($0)\"}" })
        let workers = try (1...2).map { index in
            try WorkerProcess(url: url, ["--concurrency", "4", "--id", "r\(index)"] + QueueTestSupport.fastWorkerArguments)
        }
        #expect(try QueueTestSupport.waitUntil(timeout: 30) {
            try QueueTestSupport.counts(connection)[.completed, default: 0] >= 30
        })
        try cluster.restart()
        connection = try PGConnection(url)
        let done = try QueueTestSupport.waitUntil(timeout: 60) {
            try QueueTestSupport.counts(connection)[.completed, default: 0] == count
        }
        let counts = try QueueTestSupport.counts(connection)
        #expect(done, "after the restart: \(counts)\n\(workers[0].log)")
        for worker in workers {
            #expect(worker.process.isRunning, "a worker died instead of reconnecting:\n\(worker.log)")
            worker.signal(SIGTERM)
            #expect(worker.wait(timeout: 20) == 0, "\(worker.log)")
        }
        let outputs = try connection.query("SELECT count(*), count(DISTINCT job_id) FROM sealpress.outputs")[0]
        #expect(try outputs.int(0) == count && outputs.int(1) == count)
        #expect(workers.contains { $0.log.contains("re-established") || $0.log.contains("connection lost") })
    }
}
