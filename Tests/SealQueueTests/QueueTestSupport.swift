import Foundation
import Postgres
import SealQueue
import SealTestSupport
import SealWorker

/// Shared helpers for the queue's database tests.
enum QueueTestSupport {
    /// A new, migrated database on the shared throwaway cluster; returns its connection URL.
    static func freshDatabase() throws -> String {
        let url = try TestPostgres.shared.makeDatabase(prefix: "queue")
        let connection = try PGConnection(url)
        try Migrator.migrate(connection)
        connection.close()
        return url
    }

    /// The built `sealpress` executable (`swift build --build-tests` builds it beside the tests).
    static func sealpressBinary() throws -> URL {
        guard let binary = TestBinaries.sealpress else {
            throw QueueError(.notFound, "the sealpress executable was not built; run `swift build --build-tests` first")
        }
        return binary
    }

    /// Worker command-line options with clocks short enough for tests.
    static let fastWorkerArguments = [
        "--poll-seconds", "0.5", "--heartbeat-seconds", "0.2", "--rescue-after-seconds", "1.5",
        "--promote-seconds", "0.05", "--backoff-base", "100ms", "--log-level", "notice",
    ]

    /// Clocks short enough for tests.
    static let fastTimings = QueueTimings(
        pollSeconds: 0.5, fetchCooldownSeconds: 0.01, heartbeatSeconds: 0.2, rescueAfterSeconds: 1.5,
        promoteSeconds: 0.05, rescueSeconds: 0.2, pruneSeconds: 60)

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
    static func waitUntil(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }

    /// Counts jobs by state.
    static func counts(_ connection: PGConnection) throws -> [JobState: Int] {
        var counts: [JobState: Int] = [:]
        for row in try connection.query("SELECT state::text, count(*) FROM sealpress.jobs GROUP BY 1") {
            counts[JobState(rawValue: try row.string(0))!] = try row.int(1)
        }
        return counts
    }

    /// Runs `worker` on its own thread; returns a handle to stop and join it.
    static func start(_ worker: Worker) -> RunningWorker {
        let running = RunningWorker(worker: worker)
        Thread.detachNewThread { running.runToEnd() }
        return running
    }
}

/// A ``Worker`` running on a background thread.
final class RunningWorker: @unchecked Sendable {
    let worker: Worker
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var outcome: Result<WorkerSummary, any Error>?

    init(worker: Worker) { self.worker = worker }

    fileprivate func runToEnd() {
        let result = Result { try worker.run() }
        lock.lock()
        outcome = result
        lock.unlock()
        done.signal()
    }

    /// Asks for a graceful stop and waits for `run()` to return.
    @discardableResult
    func stop(timeout: Double = 20) throws -> WorkerSummary {
        worker.requestStop()
        return try join(timeout: timeout)
    }

    /// Waits for `run()` to return.
    func join(timeout: Double = 20) throws -> WorkerSummary {
        guard done.wait(timeout: .now() + timeout) == .success else {
            throw QueueError(.database, "worker did not stop within \(timeout) s")
        }
        lock.lock()
        defer { lock.unlock() }
        return try outcome!.get()
    }
}
