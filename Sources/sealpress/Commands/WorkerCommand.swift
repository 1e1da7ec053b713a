import ArgumentParser
import Dispatch
import Foundation
import Logging
import Postgres
import SealObservability
import SealPKCS11
import SealCrypto
import SealNetClient
import SealPipeline
import SealQueue
import SealStatus
import SealWorker

/// `sealpress worker`: runs jobs from the queue until stopped (SIGTERM/SIGINT drain gracefully).
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker process: claims jobs, runs them on N Dispatch slots, writes results back.",
        discussion: """
            SIGTERM or SIGINT stops claiming and lets in-flight jobs finish within --grace-seconds; the rest are \
            released back to the queue. A second signal ends the grace period at once. The worker refuses to start \
            without a pipeline (--pipelines DIR, $SEALPRESS_PIPELINES or ./Pipelines).
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var pipelineOptions: PipelineWorkerOptions
    @OptionGroup var observability: ObservabilityOptions

    @Option(help: "Concurrent job slots (default: 4 per core, at most 32; jobs wait on the database part of the time).") var concurrency: Int?
    @Option(help: ArgumentHelp("Queues to take jobs from, comma-separated (default: all).", valueName: "a,b"))
    var queues: String?
    @Flag(help: ArgumentHelp(
        "Exit once no job is available, none runs here, and no retryable or scheduled job is due within --idle-wait "
            + "(the worker waits for those; jobs due later are left for another worker and counted in the log)."))
    var exitWhenIdle = false
    @Option(help: ArgumentHelp(
        "With --exit-when-idle: wait for retryable and scheduled jobs due within this long.",
        valueName: "duration"))
    var idleWait: String = "60s"
    @Option(name: .customLong("id"), help: ArgumentHelp("A name for this worker in `sealpress status`.", valueName: "name"))
    var name: String?
    @Option(help: "Seconds in-flight jobs get to finish after SIGTERM/SIGINT.") var graceSeconds: Double = 30
    @Flag(help: ArgumentHelp(
        "Store each output whole in sealpress.outputs.bytes, also a signed PDF that extends its input (default: only "
            + "the bytes after the input; read outputs with sealpress.output_bytes(job_id))."))
    var wholeOutputs = false
    @Option(help: "Seconds between polls when no NOTIFY arrives.") var pollSeconds: Double = 2
    @Option(help: "Seconds between heartbeats.") var heartbeatSeconds: Double = 5
    @Option(help: "A worker silent this long is dead: its running jobs are rescued.") var rescueAfterSeconds: Double = 30
    @Option(help: "Seconds between leader promoter runs (scheduled and retryable jobs).") var promoteSeconds: Double = 1
    @Option(help: ArgumentHelp("First retry delay; doubles each attempt (with ±25 % jitter).", valueName: "duration"))
    var backoffBase: String = "2s"
    @Option(help: ArgumentHelp("Longest retry delay.", valueName: "duration")) var backoffMax: String = "1h"
    @Option(help: ArgumentHelp("Keep completed jobs this long.", valueName: "duration")) var retainCompleted: String = "7d"
    @Option(help: ArgumentHelp("Keep cancelled and discarded jobs this long.", valueName: "duration"))
    var retainFailed: String = "30d"
    @Option(help: ArgumentHelp("Tell a job to stop after this long and retry it (handlers check for cancellation).",
                               valueName: "duration")) var jobTimeout: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel: String = "info"
    @Option(help: ArgumentHelp(
        "As leader, sign the usage log's head this often (needs --status-key; see `audit checkpoint`).",
        valueName: "duration"))
    var checkpointEvery: String?
    @Option(name: .customLong("status-key"), help: "Key reference of the status key (default $SEALPRESS_STATUS_KEY).")
    var statusKey: String?
    @Option(name: .customLong("checkpoint-tsa"), help: "RFC 3161 TSA (http://) that timestamps the checkpoints.")
    var checkpointTSA: String?

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        for (flag, value) in [("--backoff-base", backoffBase), ("--backoff-max", backoffMax),
                              ("--retain-completed", retainCompleted), ("--retain-failed", retainFailed)]
        where DurationText.seconds(value) == nil {
            throw ValidationError("\(flag) wants a duration such as 500ms, 30s, 5m, 24h or 7d, not \"\(value)\"")
        }
        if DurationText.seconds(idleWait) == nil {
            throw ValidationError("--idle-wait wants a duration such as 30s or 5m, not \"\(idleWait)\"")
        }
        if let jobTimeout, DurationText.seconds(jobTimeout) == nil {
            throw ValidationError("--job-timeout wants a duration such as 90s or 10m, not \"\(jobTimeout)\"")
        }
        if let checkpointEvery, (DurationText.seconds(checkpointEvery) ?? 0) < 1 {
            throw ValidationError("--checkpoint-every wants a duration of at least 1s, such as 10m or 1h")
        }
        if checkpointEvery != nil && statusKey == nil && ProcessInfo.processInfo.environment["SEALPRESS_STATUS_KEY"] == nil {
            throw ValidationError("--checkpoint-every needs --status-key (or SEALPRESS_STATUS_KEY) to sign checkpoints")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard graceSeconds >= 0, pollSeconds > 0, heartbeatSeconds > 0, rescueAfterSeconds > heartbeatSeconds else {
            throw ValidationError("timings must be positive and --rescue-after-seconds longer than --heartbeat-seconds")
        }
    }

    func run() throws {
        // Logging was set up from --log-format/--log-level by LogBootstrap in main.
        try CryptoStartupCheck.require()
        // Pipelines first: a worker without any refuses to start before touching the database.
        let handlers = try pipelineOptions.handlers()
        let url = try database.resolveURL()
        let queueList = queues?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        // Each slot signs on its own token session: a token's session pool holds as many as there are slots.
        PKCS11Keys.sessionsPerToken = concurrency ?? WorkerOptions.defaultConcurrency
        let options = WorkerOptions(
            concurrency: concurrency ?? WorkerOptions.defaultConcurrency, queues: queueList, name: name,
            exitWhenIdle: exitWhenIdle, gracePeriodSeconds: graceSeconds,
            timings: QueueTimings(
                pollSeconds: pollSeconds, heartbeatSeconds: heartbeatSeconds, rescueAfterSeconds: rescueAfterSeconds,
                promoteSeconds: promoteSeconds, rescueSeconds: min(5, rescueAfterSeconds / 3)),
            retryPolicy: RetryPolicy(baseSeconds: DurationText.seconds(backoffBase) ?? 2,
                                     maximumSeconds: DurationText.seconds(backoffMax) ?? 3600),
            retention: RetentionPolicy(
                completedSeconds: DurationText.seconds(retainCompleted) ?? 7 * 86_400,
                cancelledSeconds: DurationText.seconds(retainFailed) ?? 30 * 86_400,
                discardedSeconds: DurationText.seconds(retainFailed) ?? 30 * 86_400),
            jobTimeoutSeconds: jobTimeout.flatMap(DurationText.seconds),
            idleWaitSeconds: DurationText.seconds(idleWait) ?? 60)
        var workerOptions = options
        workerOptions.storeWholeOutputs = wholeOutputs
        if let duty = try checkpointDuty() { workerOptions.leaderDuties.append(duty) }
        let metrics = WorkerMetrics()
        let metricsServer = try observability.startMetrics(metrics, logger: Logger(label: "sealpress.metrics")) {
            try PGConnection(url)
        }
        defer { metricsServer?.stop() }
        let worker = Worker(options: workerOptions, handlers: handlers, logger: Logger(label: "sealpress.worker"),
                            events: metrics.events()) {
            try PGConnection(url)
        }
        let signals = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { worker.requestStop() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        let summary: WorkerSummary
        do {
            summary = try worker.run()
        } catch {
            throw QueueCommandSupport.couldNotRun(error, doing: "start the worker")
        }
        print("worker \(worker.registration.name) stopped: \(summary.completed) completed, \(summary.failed) failed, "
            + "\(summary.rejected) rejected by the fence, \(summary.released) released")
    }
}

extension WorkerCommand {
    /// The leader's checkpoint duty (`--checkpoint-every`), or nil.
    func checkpointDuty() throws -> LeaderDuty? {
        guard let checkpointEvery, let seconds = DurationText.seconds(checkpointEvery) else { return nil }
        guard let reference = statusKey ?? ProcessInfo.processInfo.environment["SEALPRESS_STATUS_KEY"] else { return nil }
        var timeStamps: (any TimeStampProvider)?
        if let checkpointTSA {
            guard let url = URL(string: checkpointTSA), url.scheme == "http" else {
                throw ValidationError("--checkpoint-tsa must be an http:// URL")
            }
            timeStamps = TimeStampClient(url: url)
        }
        let writer: CheckpointWriter
        do {
            writer = CheckpointWriter(signer: try StatusSigner.load(reference), timeStamps: timeStamps)
        } catch {
            throw CouldNotRun(error.reason)
        }
        let logger = Logger(label: "sealpress.checkpoints")
        return LeaderDuty(name: "usage-log checkpoint", intervalSeconds: seconds) { connection in
            let (checkpoint, isNew) = try writer.checkpoint(on: connection)
            if isNew {
                logger.info("usage-log checkpoint", metadata: [
                    "checkpoint": "\(checkpoint.id)", "rows": "\(checkpoint.rowCount)",
                ])
            }
        }
    }
}
