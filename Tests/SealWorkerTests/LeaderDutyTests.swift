import Dispatch
import Foundation
import Postgres
import SealQueue
import SealTestSupport
import SealWorker
import Synchronization
import Testing

/// Extra leader duties (e.g. usage-log checkpoints) run on the leader's maintenance connection.
@Suite struct LeaderDutyTests {
    final class Runs: Sendable {
        let count = Mutex(0)
        let worker = Mutex<Worker?>(nil)
    }

    @Test func theLeaderRunsItsExtraDutiesOnItsConnection() throws {
        let url = try WorkerTestSupport.freshDatabase()
        let runs = Runs()
        var options = WorkerOptions(
            concurrency: 1,
            timings: QueueTimings(
                pollSeconds: 0.2, fetchCooldownSeconds: 0.01, heartbeatSeconds: 0.2, rescueAfterSeconds: 1.5,
                promoteSeconds: 0.05, rescueSeconds: 0.2, pruneSeconds: 60))
        options.leaderDuties = [
            LeaderDuty(name: "test duty", intervalSeconds: 1) { connection in
                // The duty gets a live connection to the queue's database.
                _ = try connection.query("SELECT count(*) FROM sealpress.jobs")
                let count = runs.count.withLock { value -> Int in
                    value += 1
                    return value
                }
                if count >= 2 { runs.worker.withLock { $0?.requestStop() } }
            }
        ]
        let worker = Worker(options: options) { try PGConnection(url) }
        runs.worker.withLock { $0 = worker }
        // A safety stop so a duty that never runs fails the test instead of hanging it.
        DispatchQueue.global().asyncAfter(deadline: .now() + 20) { worker.requestStop() }
        _ = try worker.run()
        runs.worker.withLock { $0 = nil }
        #expect(runs.count.withLock { $0 } >= 2, "the duty ran every interval while this worker led")
    }
}
