import ArgumentParser
import Foundation
import SealCrypto
import SealPipeline
import SealStatus
import SealWorker
import Synchronization

/// `sealpress worker` options of the stamping pipeline: where the pipelines are and which roots outputs are
/// verified against. Adds the `stamp` and `verify` kinds to the worker's handlers.
struct PipelineWorkerOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Directory of pipeline YAML files (default: $SEALPRESS_PIPELINES, then ./Pipelines).", valueName: "dir"))
    var pipelines: String?

    @Option(help: ArgumentHelp(
        "Trusted root certificate for verifying outputs (PEM; repeatable; default: $SEALPRESS_TRUST, colon-separated).",
        valueName: "pem"))
    var trust: [String] = []

    @Option(
        name: .customLong("status-service"),
        help: ArgumentHelp(
            "Seal status service verify jobs consult (repeatable; adds the sealStatus check; Docs/status-service.md).",
            valueName: "url"))
    var statusService: [String] = []

    @Option(name: .customLong("status-cache-seconds"), help: "Reuse a status answer for the same seal this long.")
    var statusCacheSeconds: Double = 300

    init() {}

    /// `noop` plus `stamp` and `verify` with the loaded pipelines.
    func handlers() throws -> HandlerRegistry {
        var registry = HandlerRegistry.builtIn
        for handler in PipelineJobs.handlers(try configuration()) { registry.register(handler) }
        return registry
    }

    func configuration() throws -> PipelineJobConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let loaded = try PipelineDirectory.load(explicit: pipelines, environment: environment)
        var trustFiles = trust
        if trustFiles.isEmpty, let list = environment["SEALPRESS_TRUST"] {
            trustFiles = list.split(separator: ":").map(String.init)
        }
        var roots: [Certificate] = []
        for path in trustFiles {
            guard let data = FileManager.default.contents(atPath: path),
                let certificates = try? Certificate.certificates(pem: String(decoding: data, as: UTF8.self)),
                !certificates.isEmpty
            else { throw CouldNotRun("cannot read trusted certificates from \(path)") }
            roots += certificates
        }
        let trustStore = roots.isEmpty ? nil : TrustStore(roots: roots)
        var configuration = PipelineJobConfiguration(pipelines: loaded, trust: trustStore)
        var services: [URL] = []
        for text in statusService {
            guard let url = StatusServiceURL.parse(text) else { throw CouldNotRun("--status-service: \(StatusServiceURL.requirement)") }
            if !services.contains(url) { services.append(url) }
        }
        // A verify job consults its pipeline's status_services, then the worker's: one client (and cache) per
        // distinct list, shared by every job of this process.
        if !services.isEmpty || loaded.values.contains(where: { !$0.statusServices.isEmpty }) {
            let clients = StatusClients(
                workerServices: services, trust: trustStore, cacheSeconds: max(0, statusCacheSeconds))
            configuration.amendVerification = { report, pipelineServices in
                guard let client = clients.client(pipelineServices: pipelineServices) else { return report }
                return SealStatusCheck.apply(to: report) { client.statusBlocking(esID: $0) }
            }
        }
        return configuration
    }
}

/// The status clients of one worker process, one per distinct list of services (a pipeline's `status_services`
/// followed by the worker's `--status-service` ones), each with its own answer cache.
final class StatusClients: Sendable {
    let workerServices: [URL]
    let trust: TrustStore?
    let cacheSeconds: Double
    private let clients = Mutex<[[URL]: SealStatusClient]>([:])

    init(workerServices: [URL], trust: TrustStore?, cacheSeconds: Double) {
        self.workerServices = workerServices
        self.trust = trust
        self.cacheSeconds = cacheSeconds
    }

    /// The services a job with `pipelineServices` consults: the pipeline's first, then the worker's, each once.
    func services(pipelineServices: [URL]) -> [URL] {
        var services: [URL] = []
        for url in pipelineServices + workerServices where !services.contains(url) { services.append(url) }
        return services
    }

    /// The client for that list, made once; nil when there is no service to consult.
    func client(pipelineServices: [URL]) -> SealStatusClient? {
        let services = services(pipelineServices: pipelineServices)
        guard !services.isEmpty else { return nil }
        return clients.withLock { clients in
            if let client = clients[services] { return client }
            let client = SealStatusClient(
                configuration: .init(services: services, trust: trust, cacheSeconds: cacheSeconds))
            clients[services] = client
            return client
        }
    }
}

/// The pipelines directory of a worker or a producer: `--pipelines DIR`, else `$SEALPRESS_PIPELINES`, else
/// `./Pipelines`. A worker runs them; `enqueue stamp` checks the pipeline it names is among them.
enum PipelineDirectory {
    /// Loads every pipeline of the directory, refusing a missing directory and one with no pipeline.
    static func load(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> [String: Pipeline]
    {
        let directory = explicit.map { URL(fileURLWithPath: $0) }
            ?? PipelineJobConfiguration.defaultPipelinesDirectory(environment: environment)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw CouldNotRun("the pipelines directory \(directory.path) does not exist: give --pipelines DIR or set "
                + "SEALPRESS_PIPELINES to a directory of pipeline YAML files")
        }
        // The same rules as `sealpress pipeline check` (PipelineValidation): any problem stops the worker.
        let result = PipelineValidation.validate(files: PipelineValidation.files(in: directory))
        guard result.isValid else {
            throw CouldNotRun(
                "pipeline problems (fix them, then `sealpress pipeline check \(directory.path)`):\n"
                    + result.problems.map(\.description).joined(separator: "\n"))
        }
        let loaded = result.pipelines
        guard !loaded.isEmpty else {
            throw CouldNotRun("no pipeline in \(directory.path): add a pipeline YAML file there (see Docs/pipeline.md), "
                + "or give --pipelines DIR or SEALPRESS_PIPELINES for another directory")
        }
        return loaded
    }
}
