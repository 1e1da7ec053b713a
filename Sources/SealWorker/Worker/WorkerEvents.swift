import SealQueue

/// Optional callbacks for measurements (the queue benchmark) and tests. Called on worker threads: keep them cheap.
public struct WorkerEvents: Sendable {
    /// A job's handler is about to run; the second value is the claim-to-start latency in nanoseconds.
    public var jobStarted: (@Sendable (ClaimedJob, UInt64) -> Void)?
    /// A flush recorded jobs: completed ids accepted, and ids whose result the fence rejected.
    public var resultsRecorded: (@Sendable (_ completed: Int, _ failed: Int, _ rejected: Int) -> Void)?

    /// A job's handler returned: run time in nanoseconds, and the error when it failed (metrics).
    public var jobFinished: (@Sendable (ClaimedJob, UInt64, (any Error)?) -> Void)?

    public init(jobStarted: (@Sendable (ClaimedJob, UInt64) -> Void)? = nil,
                resultsRecorded: (@Sendable (Int, Int, Int) -> Void)? = nil,
                jobFinished: (@Sendable (ClaimedJob, UInt64, (any Error)?) -> Void)? = nil) {
        self.jobStarted = jobStarted
        self.resultsRecorded = resultsRecorded
        self.jobFinished = jobFinished
    }
}
