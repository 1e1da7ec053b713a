/// Percentiles of a set of latencies, in milliseconds.
public struct LatencySummary: Sendable, Codable, Hashable {
    public var count: Int
    public var p50Milliseconds: Double
    public var p99Milliseconds: Double
    public var maxMilliseconds: Double

    /// Summarises nanosecond samples (nearest-rank percentiles).
    public init(nanoseconds samples: [UInt64]) {
        let sorted = samples.sorted()
        func rank(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[index]) / 1e6
        }
        count = sorted.count
        p50Milliseconds = rank(0.50)
        p99Milliseconds = rank(0.99)
        maxMilliseconds = Double(sorted.last ?? 0) / 1e6
    }
}
