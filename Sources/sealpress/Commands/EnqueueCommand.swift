import ArgumentParser
import Foundation
import Postgres
import SealPipeline
import SealQueue

/// `sealpress enqueue`: adds jobs through the same SQL API other producers use (`sealpress.enqueue`).
struct EnqueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Enqueue jobs (one per FILE, or --count copies).",
        discussion: """
            Each FILE is stored in sealpress.documents and attached to its own job. Without files, --count jobs \
            are enqueued (default 1). Producers in other languages call the same SQL: \
            SELECT * FROM sealpress.enqueue('noop', '{"sleep_ms": 5}'); see Docs/queue.md.

            Limits and fair share: --principal names who the jobs are for (claims take the least-served \
            principal first, priority order within a principal); --limit-key names the shared resource they use \
            (its limits, `sealpress seal limit`, hold across all workers); --unique-within refuses a FILE already \
            enqueued as this kind within the window (reported as a duplicate with the earlier job's id).

            Examples:
              sealpress enqueue --kind noop --count 5000 --principal bulk-office \\
                  --batch nightly
              sealpress enqueue --kind noop --args '{"sleep_ms": 50}' --limit-key bureau \\
                  --count 10
              sealpress enqueue --kind verify --unique-within 24h --json scan.pdf
            """,
        subcommands: [EnqueueStampCommand.self, EnqueueVerifyCommand.self])

    @OptionGroup var database: DatabaseOptions

    // Optional so that `enqueue stamp|verify` (subcommands) parse without it; run() requires it.
    @Option(help: "Job kind, e.g. noop, stamp, verify.") var kind: String?
    @Option(help: ArgumentHelp("Job arguments, a JSON object.", valueName: "json")) var args: String = "{}"
    @Option(help: ArgumentHelp("Batch label (created on first use).", valueName: "label")) var batch: String?
    @Option(help: "Priority: lower runs first.") var priority: Int = 0
    @Option(help: ArgumentHelp("Idempotency key: no second job while one with this key is live. With several jobs, "
                               + "\"-<n>\" is appended.", valueName: "key")) var key: String?
    @Option(help: "Queue name.") var queue: String = "default"
    @Option(help: "Number of jobs when no FILE is given.") var count: Int = 1
    @Option(help: "Attempts before the job is discarded.") var maxAttempts: Int = 20
    @Option(help: ArgumentHelp("Run later: a delay such as 30s, 5m, 2h.", valueName: "delay")) var runIn: String?
    @Option(help: ArgumentHelp(
        "With --kind stamp: the pipelines directory the pipeline must be in (default: $SEALPRESS_PIPELINES, "
            + "then ./Pipelines).", valueName: "dir"))
    var pipelines: String?
    @Option(help: ArgumentHelp(
        "Who the jobs are for: claims share the workers between principals (default: args.principal, else none).",
        valueName: "name"))
    var principal: String?
    @Option(help: ArgumentHelp(
        "The shared resource the jobs use, e.g. a seal's registry name: its limits (`seal limit`) apply.",
        valueName: "key"))
    var limitKey: String?
    @Option(help: ArgumentHelp(
        "With FILEs: refuse a document already enqueued as this kind within this window (24h, 30m).",
        valueName: "duration"))
    var uniqueWithin: String?
    @Flag(help: "Print the job ids as JSON.") var json = false
    @Argument(help: "Documents to attach, one job each.") var files: [String] = []

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        if let runIn, DurationText.seconds(runIn) == nil {
            throw ValidationError("--run-in wants a duration such as 30s, 5m or 2h, not \"\(runIn)\"")
        }
        if let uniqueWithin {
            guard let seconds = DurationText.seconds(uniqueWithin), seconds > 0 else {
                throw ValidationError("--unique-within wants a duration such as 24h or 30m, not \"\(uniqueWithin)\"")
            }
            guard !files.isEmpty else { throw ValidationError("--unique-within needs FILEs (jobs are unique by content)") }
        }
    }

    func run() throws {
        guard let kind else { throw ValidationError("give --kind, or use `enqueue stamp` / `enqueue verify`") }
        do {
            try NewJob.validateArguments(args)
        } catch {
            throw CouldNotRun("invalid --args: \(error.reason)")
        }
        // The typed contract of the pipeline's kinds, checked before anything is sent.
        let known = kind == StampJobArguments.kind ? Array(try PipelineDirectory.load(explicit: pipelines).keys) : nil
        do {
            try PipelineJobs.validateArguments(kind: kind, argsJSON: args, pipelines: known)
        } catch {
            throw CouldNotRun("invalid --args: \(error.reason)")
        }
        var documents: [(name: String, data: Data)] = []
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CouldNotRun("cannot read \(path)")
            }
            documents.append(((path as NSString).lastPathComponent, data))
        }
        let scheduledAt = runIn.flatMap(DurationText.seconds).map { Date().timeIntervalSince1970 + $0 }
        let connection = try database.connect()
        defer { connection.close() }
        let jobQueue = JobQueue(connection: connection)
        var results: [EnqueuedJob] = []
        do {
            if documents.isEmpty {
                let keys = key.map { key in count == 1 ? [key] : (1...count).map { "\(key)-\($0)" } }
                var offset = 0
                while offset < count {
                    let chunk = min(5000, count - offset)
                    results += try jobQueue.enqueueMany(
                        kind: kind, argsJSON: Array(repeating: args, count: chunk), queue: queue, priority: priority,
                        scheduledAt: scheduledAt, maxAttempts: maxAttempts,
                        idempotencyKeys: keys.map { Array($0[offset..<(offset + chunk)]) }, batchLabel: batch,
                        principal: principal, limitKey: limitKey)
                    offset += chunk
                }
            } else {
                try connection.transaction { connection in
                    let jobQueue = JobQueue(connection: connection)
                    for (index, document) in documents.enumerated() {
                        results.append(try jobQueue.enqueue(NewJob(
                            kind: kind, argsJSON: args, queue: queue, priority: priority, scheduledAt: scheduledAt,
                            maxAttempts: maxAttempts,
                            idempotencyKey: key.map { documents.count == 1 ? $0 : "\($0)-\(index + 1)" },
                            batchLabel: batch, document: document.data, documentName: document.name,
                            contentType: Self.contentType(document.name), principal: principal, limitKey: limitKey,
                            uniqueWithinSeconds: uniqueWithin.flatMap(DurationText.seconds),
                            uniqueScope: nil)))
                    }
                }
            }
        } catch {
            throw QueueCommandSupport.couldNotRun(error, doing: "enqueue")
        }
        report(results)
    }

    private func report(_ results: [EnqueuedJob]) {
        if json {
            let items = results.map {
                "{\"id\": \($0.id), \"created\": \($0.created), \"outcome\": \"\($0.outcome.rawValue)\"}"
            }
            print("[" + items.joined(separator: ", ") + "]")
            return
        }
        let created = results.filter(\.created)
        let existing = results.filter { $0.outcome == .existing }
        for job in results.filter({ $0.outcome == .duplicate }).prefix(10) {
            print("job \(job.id) was enqueued for the same document within --unique-within; not enqueued again")
        }
        let place = (batch.map { " in batch \"\($0)\"" } ?? "") + (queue == "default" ? "" : " on queue \(queue)")
        if created.count == 1 {
            print("enqueued job \(created[0].id) (\(kind ?? ""))\(place)")
        } else if let first = created.first, let last = created.last {
            print("enqueued \(created.count) \(kind ?? "") jobs (ids \(first.id)…\(last.id))\(place)")
        }
        for job in existing.prefix(10) {
            print("job \(job.id) is already queued with this idempotency key; not enqueued again")
        }
        if existing.count > 10 { print("… and \(existing.count - 10) more already queued") }
    }

    private static func contentType(_ name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "pdf": "application/pdf"
        case "ofd": "application/ofd"
        default: "application/octet-stream"
        }
    }
}
