public import Foundation
public import SealCrypto
public import SealReport

/// What the `stamp` and `verify` handlers of one worker process share: the pipelines, the trust anchors used to
/// verify outputs, and this host's name for the usage log.
public struct PipelineJobConfiguration: Sendable {
    /// Pipelines by name (from `--pipelines DIR`).
    public var pipelines: [String: Pipeline]
    /// Trust anchors for verification. With anchors, an output must verify PASSED; without, its integrity must
    /// pass (trust is then indeterminate and says so in the report).
    public var trust: TrustStore?
    /// Recorded in every usage row.
    public var host: String
    /// Where key passwords are looked up (`password-env=` of a key reference).
    public var environment: [String: String]
    /// Applied to every `verify` job's report before it is stored, with the `status_services` of the job's
    /// pipeline (empty without one): the CLI adds the `sealStatus` check here, consulting those services and the
    /// worker's `--status-service` ones (SealStatus sits above this module, so it comes in as a function).
    public var amendVerification: (@Sendable (VerificationReport, _ pipelineStatusServices: [URL]) -> VerificationReport)?

    public init(
        pipelines: [String: Pipeline], trust: TrustStore? = nil, host: String = ProcessInfo.processInfo.hostName,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.pipelines = pipelines
        self.trust = trust
        self.host = host
        self.environment = environment
    }

    /// The pipeline directory a worker reads by default: `$SEALPRESS_PIPELINES`, else `./Pipelines`.
    public static func defaultPipelinesDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        URL(fileURLWithPath: environment["SEALPRESS_PIPELINES"] ?? "Pipelines")
    }
}
