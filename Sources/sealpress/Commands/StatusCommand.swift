import ArgumentParser
import Foundation
import Postgres
import SealQueue

/// `sealpress status`: jobs by state and queue, oldest waiting job, live workers, recent throughput.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the queue: jobs by state and queue, oldest waiting job, live workers, recent throughput.",
        discussion: """
            Also shows each limited seal (running/limit, rate, queued; set with `sealpress seal limit`) and each \
            principal's queued and running jobs (claims share workers between principals). --json has them as \
            "limits" [{key, maxConcurrent, ratePerSecond, burst, running, queued}] and "principals" \
            [{principal, queued, running}].
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("Also show this batch's progress.", valueName: "label")) var batch: String?
    @Flag(help: "Print JSON.") var json = false

    /// Workers whose heartbeat is older than this are shown as stale.
    static let staleAfterSeconds = 30.0

    func run() throws {
        let connection = try database.connectExisting()
        defer { connection.close() }
        let status: QueueStatus
        do {
            status = try QueueStatus.read(connection, batchLabel: batch)
        } catch {
            throw QueueCommandSupport.couldNotRun(error, doing: "read the queue status")
        }
        if json {
            print(try QueueCommandSupport.json(status))
            return
        }
        print(Self.render(status))
    }

    static func render(_ status: QueueStatus) -> String {
        var lines: [String] = []
        let order = JobState.allCases.map(\.rawValue)
        func counts(_ counts: [String: Int]) -> String {
            order.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: " · ")
        }
        let total = status.totals.values.reduce(0, +)
        lines.append("jobs (\(total)): " + counts(status.totals))
        for queue in status.queues {
            let parts = order.compactMap { state in queue.counts[state].map { "\(state) \($0)" } }
            lines.append("  queue \(queue.queue): " + parts.joined(separator: ", "))
        }
        if let oldest = status.oldestAvailableAgeSeconds {
            lines.append("oldest available job has waited \(QueueCommandSupport.age(oldest))")
        } else {
            lines.append("no job is waiting")
        }
        if !status.failures.isEmpty {
            lines.append("failing jobs by latest error code: " + status.failures
                .map { "\($0.code) \($0.count) (\($0.state))" }.joined(separator: ", "))
        }
        lines.append("throughput: \(status.completedLastMinute) completed in the last 60 s, "
            + String(format: "%.0f/s over the last 10 s", Double(status.completedLast10Seconds) / 10))
        for limit in status.limits {
            let concurrency = limit.maxConcurrent.map { "running \(limit.running)/\($0)" } ?? "running \(limit.running)"
            let rate = limit.ratePerSecond.map { "  rate " + String(format: "%g/s", $0) + " (burst \(limit.burst))" } ?? ""
            lines.append("limit \(limit.key): \(concurrency)\(rate)  queued \(limit.queued)")
        }
        if status.principals.count > 1 || status.principals.contains(where: { !$0.principal.isEmpty }) {
            lines.append("principals: " + status.principals.map {
                "\($0.principal.isEmpty ? "(none)" : $0.principal) queued \($0.queued) running \($0.running)"
            }.joined(separator: " · "))
        }
        let live = status.workers.filter { $0.heartbeatAgeSeconds < staleAfterSeconds }
        lines.append("workers: \(live.count) live" + (live.count == status.workers.count
            ? "" : ", \(status.workers.count - live.count) stale (the rescuer will remove them)"))
        for worker in status.workers {
            let stale = worker.heartbeatAgeSeconds >= staleAfterSeconds ? "  STALE" : ""
            lines.append("  \(worker.name)  pid \(worker.pid)  concurrency \(worker.concurrency)  running \(worker.running)  "
                + "queues \(worker.queues?.joined(separator: ",") ?? "*")  heartbeat \(QueueCommandSupport.age(worker.heartbeatAgeSeconds)) ago\(stale)")
        }
        if let batch = status.batch {
            let finished = batch.completed + batch.discarded + batch.cancelled
            let percent = batch.total == 0 ? 100 : Double(finished) * 100 / Double(batch.total)
            lines.append("batch \"\(batch.label)\": \(finished)/\(batch.total) finished (" + String(format: "%.0f %%", percent)
                + "): completed \(batch.completed), discarded \(batch.discarded), cancelled \(batch.cancelled)"
                + (batch.finishedAt != nil ? " — done" : ""))
            let inProgress = ["available", "scheduled", "running", "retryable"].compactMap { state in
                batch.counts[state].map { "\(state) \($0)" }
            }
            if !inProgress.isEmpty { lines.append("  still to do: " + inProgress.joined(separator: ", ")) }
            if let failures = batch.failures, !failures.isEmpty {
                lines.append("  failing: " + failures.map { "\($0.code) \($0.count) (\($0.state))" }
                    .joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }
}
