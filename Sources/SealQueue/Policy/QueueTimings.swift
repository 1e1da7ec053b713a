/// The clocks of a worker process and of the leader duties. Tests shorten them; defaults suit production.
public struct QueueTimings: Sendable, Hashable {
    /// How often an idle fetcher polls when no NOTIFY arrives (jittered ±20 %).
    public var pollSeconds: Double
    /// Minimum pause between two claims that found nothing (a burst of NOTIFYs costs one query).
    public var fetchCooldownSeconds: Double
    /// How long a finished job's result may wait for others so they share one write (while other jobs still
    /// run). Small next to any real job; large next to a no-op.
    public var coalesceSeconds: Double
    /// How often a worker process writes its heartbeat.
    public var heartbeatSeconds: Double
    /// A worker whose heartbeat is older than this is dead: the rescuer returns its running jobs.
    public var rescueAfterSeconds: Double
    /// How often the leader promotes due scheduled/retryable jobs.
    public var promoteSeconds: Double
    /// How often the leader runs the rescuer.
    public var rescueSeconds: Double
    /// How often the leader runs the pruner.
    public var pruneSeconds: Double

    public init(pollSeconds: Double = 2, fetchCooldownSeconds: Double = 0.005, coalesceSeconds: Double = 0.002,
                heartbeatSeconds: Double = 5,
                rescueAfterSeconds: Double = 30, promoteSeconds: Double = 1, rescueSeconds: Double = 5,
                pruneSeconds: Double = 60) {
        self.pollSeconds = pollSeconds
        self.fetchCooldownSeconds = fetchCooldownSeconds
        self.coalesceSeconds = coalesceSeconds
        self.heartbeatSeconds = heartbeatSeconds
        self.rescueAfterSeconds = rescueAfterSeconds
        self.promoteSeconds = promoteSeconds
        self.rescueSeconds = rescueSeconds
        self.pruneSeconds = pruneSeconds
    }

    public static let standard = QueueTimings()
}
