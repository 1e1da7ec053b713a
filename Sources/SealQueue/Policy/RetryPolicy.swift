/// Exponential backoff with jitter: attempt *n* waits `base × 2^(n−1)` seconds, capped at `maximumSeconds`,
/// multiplied by a random factor in `1 ± jitter`.
public struct RetryPolicy: Sendable, Hashable {
    /// Delay after the first failed attempt.
    public var baseSeconds: Double
    /// Upper bound before jitter.
    public var maximumSeconds: Double
    /// Relative jitter, 0 … 1 (0.25 = ±25 %).
    public var jitter: Double

    public init(baseSeconds: Double = 2, maximumSeconds: Double = 3600, jitter: Double = 0.25) {
        self.baseSeconds = max(0, baseSeconds)
        self.maximumSeconds = max(0, maximumSeconds)
        self.jitter = min(max(0, jitter), 1)
    }

    /// The default: 2 s, 4 s, 8 s … capped at one hour, ±25 %.
    public static let standard = RetryPolicy()

    /// The delay before the attempt after `attempt` (1-based) failed, without jitter.
    public func nominalDelaySeconds(afterAttempt attempt: Int) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 60)))
        return min(baseSeconds * pow2(exponent), maximumSeconds)
    }

    /// The delay with jitter applied; `unit` is a random number in 0 ..< 1 (injected for tests).
    public func delaySeconds(afterAttempt attempt: Int, unit: Double = Double.random(in: 0..<1)) -> Double {
        let factor = 1 + jitter * (2 * unit - 1)
        return nominalDelaySeconds(afterAttempt: attempt) * factor
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        var remaining = Int(exponent)
        while remaining > 0 { value *= 2; remaining -= 1 }
        return value
    }
}
