/// The job state machine as a value: which event moves a job from which state to which, with no IO.
///
/// The SQL statements in ``QueueSQL`` implement exactly these transitions; the unit tests check the table, and
/// the integration tests check that the database follows it.
public enum JobLifecycle {
    /// Something that happens to a job.
    public enum Event: Sendable, Hashable {
        /// The promoter saw `scheduled_at <= now()`.
        case promote
        /// A worker's fetcher claimed it (the attempt counter, i.e. the fencing token, goes up by one).
        case claim
        /// The handler returned normally and the fenced completion was accepted.
        case complete
        /// The handler threw. `retryable: false` discards at once; `delaySeconds <= 0` makes it available again.
        case fail(retryable: Bool, delaySeconds: Double)
        /// The rescuer found the claiming worker dead (heartbeat too old or row gone).
        case rescue
        /// The worker shut down before the job finished and gave it back.
        case release
        /// A person or producer cancelled it.
        case cancel
    }

    /// The state after `event`, or nil when the event does not apply in `state` (the SQL's WHERE then
    /// matches no row, which is how a stale worker's completion is rejected).
    ///
    /// - Parameters:
    ///   - state: the current state.
    ///   - event: what happened.
    ///   - attempt: the job's attempt counter when the event happens (after the claim that started the run).
    ///   - maxAttempts: the job's `max_attempts`.
    public static func next(after state: JobState, on event: Event, attempt: Int, maxAttempts: Int) -> JobState? {
        switch (state, event) {
        case (.scheduled, .promote), (.retryable, .promote):
            return .available
        case (.available, .claim):
            return .running
        case (.running, .complete):
            return .completed
        case (.running, .fail(let retryable, let delay)):
            if !retryable || attempt >= maxAttempts { return .discarded }
            return delay <= 0 ? .available : .retryable
        case (.running, .rescue):
            return attempt >= maxAttempts ? .discarded : .retryable
        case (.running, .release):
            return .available
        case (.available, .cancel), (.scheduled, .cancel), (.retryable, .cancel), (.running, .cancel):
            return .cancelled
        default:
            return nil
        }
    }
}
