import ArgumentParser
import Foundation
import Postgres
import SealCrypto
import SealPipeline
import SealQueue
import SealReport

/// `sealpress enqueue stamp --pipeline P --principal WHO FILE|DIR… --batch LABEL`.
struct EnqueueStampCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stamp",
        abstract: "Enqueue stamp jobs for PDF and OFD files (directories are walked recursively).",
        discussion: """
            Each document's idempotency key is the batch label plus its SHA-256, so running the same command \
            again enqueues nothing twice (documents whose earlier job failed are enqueued again).

            Unique by content (any batch): with --unique-within DURATION, or the pipeline's unique_within, a \
            document already enqueued for this pipeline within that window (and not cancelled or discarded) is \
            refused in the database, race-safe for concurrent producers; the earlier job's id is reported \
            ("duplicate" in --json). Each job carries the principal (fair share between principals at claim \
            time) and its pipeline's seal (the seal's limits, see `sealpress seal limit`).

            Examples:
              sealpress enqueue stamp --pipeline business-licence \\
                  --principal licence-office --batch b1 in/
              sealpress enqueue stamp --pipeline contract --principal crm --batch b2 \\
                  --unique-within 24h a.pdf
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The pipeline to apply (its name in the pipelines directory).") var pipeline: String
    @Option(help: "The client principal the stamps are made for (must hold a grant).") var principal: String
    @Option(help: ArgumentHelp(
        "Directory of pipeline YAML files the pipeline must be in (default: $SEALPRESS_PIPELINES, then ./Pipelines).",
        valueName: "dir"))
    var pipelines: String?
    @Option(help: "Batch label.") var batch: String
    @Option(help: ArgumentHelp(
        "Where the worker finds the password of encrypted PDFs, overriding the pipeline's password_ref "
            + "(env:NAME or file:PATH on the worker; never the password itself).", valueName: "ref"))
    var passwordRef: String?
    @Option(help: ArgumentHelp(
        "Refuse a document already enqueued for this pipeline within this window (24h, 30m, 7d), overriding the "
            + "pipeline's unique_within; 0 turns it off.", valueName: "duration"))
    var uniqueWithin: String?
    @OptionGroup var common: EnqueueDocumentOptions
    @Argument(help: "PDF/OFD files or directories.") var paths: [String]

    func validate() throws {
        if let uniqueWithin, DurationText.seconds(uniqueWithin) == nil {
            throw ValidationError("--unique-within wants a duration such as 24h, 30m or 7d, not \"\(uniqueWithin)\"")
        }
    }

    func run() throws {
        let arguments = StampJobArguments(pipeline: pipeline, principal: principal, passwordRef: passwordRef)
        let known = try PipelineDirectory.load(explicit: pipelines)
        do {
            try arguments.validate(knownPipelines: Array(known.keys))
        } catch {
            throw CouldNotRun("cannot enqueue: \(error.reason)")
        }
        let definition = known[pipeline]
        let window = uniqueWithin.flatMap(DurationText.seconds) ?? definition?.uniqueWithinSeconds
        try common.enqueue(
            kind: StampJobArguments.kind, argsJSON: arguments.json, batch: batch, paths: paths, database: database,
            principal: principal, sealReference: definition?.seal,
            uniqueWithinSeconds: window.flatMap { $0 > 0 ? $0 : nil }, uniqueScope: pipeline)
    }
}

/// `sealpress enqueue verify FILE|DIR… [--batch LABEL] [--pipeline P]`.
struct EnqueueVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Enqueue verify jobs for PDF and OFD files (directories recursively).",
        discussion: """
            With --pipeline P the worker also consults P's status_services (the sealStatus check, besides its own \
            --status-service ones; Docs/status-service.md).
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Batch label (default: verify-<UTC date>).") var batch: String?
    @Option(help: "A pipeline whose status_services the verification consults (its name in the pipelines directory).")
    var pipeline: String?
    @Option(help: ArgumentHelp(
        "Directory of pipeline YAML files --pipeline must be in (default: $SEALPRESS_PIPELINES, then ./Pipelines).",
        valueName: "dir"))
    var pipelines: String?
    @OptionGroup var common: EnqueueDocumentOptions
    @Argument(help: "PDF/OFD files or directories.") var paths: [String]

    func run() throws {
        let label = batch ?? "verify-" + ISO8601DateFormatter.string(
            from: Date(), timeZone: TimeZone(secondsFromGMT: 0)!, formatOptions: [.withFullDate])
        let arguments = VerifyJobArguments(pipeline: pipeline)
        if pipeline != nil {
            let known = try PipelineDirectory.load(explicit: pipelines)
            do {
                try arguments.validate(knownPipelines: Array(known.keys))
            } catch {
                throw CouldNotRun("cannot enqueue: \(error.reason)")
            }
        }
        try common.enqueue(kind: VerifyJobArguments.kind, argsJSON: arguments.json, batch: label,
                           paths: paths, database: database)
    }
}

/// Options and the enqueue loop shared by `enqueue stamp` and `enqueue verify`.
struct EnqueueDocumentOptions: ParsableArguments {
    @Option(help: "Queue name.") var queue: String = "default"
    @Option(help: "Priority: lower runs first.") var priority: Int = 0
    @Option(help: "Attempts before a job is discarded.") var maxAttempts: Int = 5
    @Flag(help: "Draw the progress bar even when stderr is not a terminal.") var progress = false
    @Flag(help: "Print a JSON summary.") var json = false

    init() {}

    /// Enqueues one job per document. `sealReference` (a stamp pipeline's seal) becomes the jobs' limit key, as
    /// the seal's registry name; `uniqueWithinSeconds` makes them unique by content within `uniqueScope`.
    func enqueue(
        kind: String, argsJSON: String, batch: String, paths: [String], database: DatabaseOptions,
        principal: String? = nil, sealReference: String? = nil, uniqueWithinSeconds: Double? = nil,
        uniqueScope: String? = nil
    ) throws {
        let candidates = try DocumentFiles.candidates(paths)
        let connection = try database.connect()
        defer { connection.close() }
        // The limit key is the seal's registry name (a pipeline may name its seal by esID).
        let limitKey = sealReference.map { reference in
            (try? SealRegistry().seal(named: reference, on: connection))?.name ?? reference
        }
        var duplicates: [Int64] = []
        let bar = ProgressBar(total: candidates.count, label: "enqueue \(kind)", force: progress)
        var created = 0
        var existing = 0
        var skipped: [String] = []
        var jobIDs: [Int64] = []
        do {
            let queueAPI = JobQueue(connection: connection)
            // Keys already used in this batch by a job that did not fail: never enqueued again.
            var taken = try queueAPI.usedIdempotencyKeys(batchLabel: batch, kind: kind)
            var pending: [NewJob] = []
            /// Sends the pending jobs: one round trip and one transaction per chunk, or each by `one`.
            func flush(_ one: ((NewJob) throws -> EnqueuedJob)? = nil) throws {
                guard !pending.isEmpty else { return }
                let results = if let one { try pending.map(one) } else { try queueAPI.enqueue(pending) }
                for result in results {
                    jobIDs.append(result.id)
                    switch result.outcome {
                    case .created: created += 1
                    case .existing: existing += 1
                    case .duplicate: duplicates.append(result.id)
                    }
                }
                bar.advance(by: pending.count)
                pending.removeAll()
            }
            for candidate in candidates {
                // A large file is hashed and sent in pieces: never held whole, here or in libpq.
                if let (size, format) = try DocumentFiles.peek(candidate), size > JobQueue.inlineDocumentBytes {
                    var hasher = SealCrypto.Hasher(.sha256)
                    try DocumentFiles.readPieces(candidate) { hasher.update($0) }
                    let key = "\(batch):\(kind):" + Hex.string(hasher.finalize())
                    if taken.contains(key) {
                        existing += 1
                        bar.advance()
                        continue
                    }
                    taken.insert(key)
                    try flush()
                    pending.append(NewJob(
                        kind: kind, argsJSON: argsJSON, queue: queue, priority: priority, maxAttempts: maxAttempts,
                        idempotencyKey: key, batchLabel: batch, documentName: candidate.name,
                        contentType: format == .pdf ? "application/pdf" : "application/ofd", principal: principal,
                        limitKey: limitKey, uniqueWithinSeconds: uniqueWithinSeconds, uniqueScope: uniqueScope))
                    try flush { job in
                        try queueAPI.enqueue(job) { send in try DocumentFiles.readPieces(candidate, send) }
                    }
                    continue
                }
                guard let (data, format) = try DocumentFiles.read(candidate) else {
                    skipped.append(candidate.url.path)
                    bar.advance()
                    continue
                }
                let key = "\(batch):\(kind):" + Hex.string(data.withUnsafeBytes { Digest.hash(.sha256, $0) })
                if taken.contains(key) {
                    existing += 1
                    bar.advance()
                    continue
                }
                taken.insert(key)
                pending.append(NewJob(
                    kind: kind, argsJSON: argsJSON, queue: queue, priority: priority, maxAttempts: maxAttempts,
                    idempotencyKey: key, batchLabel: batch, document: data, documentName: candidate.name,
                    contentType: format == .pdf ? "application/pdf" : "application/ofd", principal: principal,
                    limitKey: limitKey, uniqueWithinSeconds: uniqueWithinSeconds, uniqueScope: uniqueScope))
                if pending.count >= 50 { try flush() }
            }
            try flush()
        } catch let error as QueueError {
            bar.finish()
            throw CouldNotRun(error.reason)
        } catch let error as PGError {
            bar.finish()
            throw CouldNotRun("cannot enqueue: \(error.description)")
        }
        bar.finish()
        if json {
            let object: [String: Any] = [
                "batch": batch, "kind": kind, "enqueued": created, "alreadyEnqueued": existing,
                "skipped": skipped, "jobs": jobIDs, "duplicates": duplicates.count,
                "duplicateOf": duplicates,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("batch \"\(batch)\": \(created) \(kind) job(s) enqueued, \(existing) already enqueued"
                + (duplicates.isEmpty ? "" : ", \(duplicates.count) refused as duplicates of earlier jobs (ids "
                    + duplicates.prefix(10).map(String.init).joined(separator: ", ")
                    + (duplicates.count > 10 ? ", …" : "") + ")")
                + (skipped.isEmpty ? "" : ", \(skipped.count) file(s) skipped (neither PDF nor OFD)"))
        }
    }
}

/// `enqueue stamp|verify …` reach their subcommands here: ArgumentParser would hand `stamp` to the generic
/// `enqueue`'s FILE arguments, which it parses before looking for subcommands.
enum EnqueueDocumentsRouting {
    static func command(_ arguments: [String]) throws -> (any ParsableCommand)? {
        let rest = Array(arguments.dropFirst())
        guard rest.count >= 2, rest[0] == "enqueue" else { return nil }
        switch rest[1] {
        case "stamp": return try EnqueueStampCommand.parseAsRoot(Array(rest.dropFirst(2)))
        case "verify": return try EnqueueVerifyCommand.parseAsRoot(Array(rest.dropFirst(2)))
        default: return nil
        }
    }
}
