import Foundation
import SealQueue
import SealReport
public import SealWorker

/// The `verify` job kind (args ``VerifyJobArguments``: `{}`, or the pipeline whose `status_services` apply):
/// verifies the input document (PDF or OFD by content) and stores the same report `sealpress verify --json`
/// prints. The job completes whatever the verdict; the verdict is in the report.
public struct VerifyHandler: JobHandler {
    public let configuration: PipelineJobConfiguration

    public init(configuration: PipelineJobConfiguration) {
        self.configuration = configuration
    }

    public var kind: String { "verify" }
    public var summary: String { "verifies the seals and signatures of a PDF or OFD document" }

    public func run(_ job: ClaimedJob, context: JobContext) throws -> JobOutcome {
        let args: VerifyJobArguments
        do {
            args = try VerifyJobArguments(json: job.argsJSON)
        } catch {
            throw JobFailure(.invalidArguments, error.reason)
        }
        var statusServices: [URL] = []
        if let name = args.pipeline {
            guard let pipeline = configuration.pipelines[name] else {
                // Retried, as for stamp jobs: a worker started with the right --pipelines directory may take it.
                throw JobFailure(
                    .unknownPipeline, "'\(name)' (this worker has: "
                        + configuration.pipelines.keys.sorted().joined(separator: ", ") + ")", retryAfterSeconds: 30)
            }
            statusServices = pipeline.statusServices
        }
        let input = try PipelineJobInput.load(job, context: context)
        var report = DocumentVerification.verify(input.bytes, format: input.format, trust: configuration.trust)
        if let amend = configuration.amendVerification { report = amend(report, statusServices) }
        return JobOutcome(reportJSON: String(decoding: try report.jsonData(pretty: false), as: UTF8.self))
    }
}
