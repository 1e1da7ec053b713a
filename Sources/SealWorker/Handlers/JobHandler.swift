import SealQueue

/// Runs jobs of one kind. Handlers are registered by kind in a ``HandlerRegistry``; the worker calls ``run(_:context:)``
/// on a Dispatch thread with no database connection or transaction held.
///
/// Return a ``JobOutcome`` to complete the job (its output and report are written by the fenced completion);
/// throw to fail it: a ``JobFailure`` says whether to retry and when, any other error is retried with the
/// worker's ``RetryPolicy``. Long handlers should check ``JobContext/isCancelled`` now and then.
public protocol JobHandler: Sendable {
    /// The job kind this handler runs, e.g. `noop`, `stamp`, `verify`.
    var kind: String { get }
    /// One line for `sealpress.job_kinds.description`.
    var summary: String { get }
    /// Runs one job.
    func run(_ job: ClaimedJob, context: JobContext) throws -> JobOutcome
}

extension JobHandler {
    public var summary: String { "" }
}
