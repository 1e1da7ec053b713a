/// How long finished jobs are kept before the pruner deletes them (with their outputs; documents no longer
/// referenced by any job go too). Batch counters are kept forever.
public struct RetentionPolicy: Sendable, Hashable {
    public var completedSeconds: Double
    public var cancelledSeconds: Double
    public var discardedSeconds: Double

    public init(completedSeconds: Double = 7 * 86_400, cancelledSeconds: Double = 30 * 86_400,
                discardedSeconds: Double = 30 * 86_400) {
        self.completedSeconds = completedSeconds
        self.cancelledSeconds = cancelledSeconds
        self.discardedSeconds = discardedSeconds
    }

    /// Completed jobs 7 days, cancelled and discarded 30 days.
    public static let standard = RetentionPolicy()
}
