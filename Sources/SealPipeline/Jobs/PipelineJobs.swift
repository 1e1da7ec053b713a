public import SealWorker

/// The pipeline's job kinds, for a worker's ``HandlerRegistry``.
public enum PipelineJobs {
    /// `stamp` and `verify` handlers sharing one configuration.
    public static func handlers(_ configuration: PipelineJobConfiguration) -> [any JobHandler] {
        [StampHandler(configuration: configuration), VerifyHandler(configuration: configuration)]
    }
}
