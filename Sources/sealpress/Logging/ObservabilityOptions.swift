import ArgumentParser
import Logging
import Postgres
import SealObservability
import SealWorker

/// `--log-format` and `--metrics-port/--metrics-host` for long-running commands (`sealpress worker`).
///
/// The log format itself is applied by ``LogBootstrap`` before parsing; declaring it here lets the parser accept
/// it and shows it in `--help`.
struct ObservabilityOptions: ParsableArguments {
    @Option(help: "Log lines on standard error: text, or json (one object per line, for log shippers).")
    var logFormat: String = "text"
    @Option(help: ArgumentHelp("Serve Prometheus /metrics and /healthz on this port (0 = any free port).",
                               valueName: "port"))
    var metricsPort: Int?
    @Option(help: ArgumentHelp("Address the metrics server listens on (IPv4).", valueName: "address"))
    var metricsHost: String = "0.0.0.0"

    func validate() throws {
        guard LogBootstrap.Format(rawValue: logFormat) != nil else {
            throw ValidationError("--log-format wants text or json, not \"\(logFormat)\"")
        }
        if let metricsPort, !(0...65_535).contains(metricsPort) {
            throw ValidationError("--metrics-port wants a port number 0-65535")
        }
    }

    /// Starts the metrics server when `--metrics-port` was given; the jobs-by-state gauge is refreshed on each
    /// scrape through `connect` (a fresh connection each time).
    func startMetrics(_ metrics: WorkerMetrics, logger: Logger,
                      connect: @escaping @Sendable () throws -> PGConnection) throws -> MetricsServer? {
        guard let metricsPort else { return nil }
        do {
            let server = try MetricsServer(host: metricsHost, port: metricsPort, registry: metrics.registry) {
                metrics.refreshJobStates(connect: connect, logger: logger)
            }
            logger.info("metrics server listening", metadata: ["host": "\(metricsHost)", "port": "\(server.port)"])
            return server
        } catch let error as MetricsServer.StartError {
            throw CouldNotRun(error.description)
        }
    }
}
