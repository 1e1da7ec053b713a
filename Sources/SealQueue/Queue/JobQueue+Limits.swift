import Foundation
import Postgres

/// A shared resource's limits (`sealpress.job_limits`): at most ``maxConcurrent`` of its jobs running at once and
/// a token bucket of ``ratePerSecond`` with ``burst`` tokens, enforced by every claim in the database.
public struct JobLimit: Sendable, Codable, Hashable {
    /// The key jobs carry in `limit_key` (for stamp jobs, the seal's registry name).
    public var key: String
    public var maxConcurrent: Int?
    /// Job starts per second (a per-minute rate is stored divided by 60).
    public var ratePerSecond: Double?
    /// Starts allowed at once after an idle period (the bucket's size).
    public var burst: Int

    public init(key: String, maxConcurrent: Int? = nil, ratePerSecond: Double? = nil, burst: Int = 1) {
        self.key = key
        self.maxConcurrent = maxConcurrent
        self.ratePerSecond = ratePerSecond
        self.burst = burst
    }
}

extension JobQueue {
    /// Sets (or replaces) the limits of `limit.key`; with neither a concurrency nor a rate limit, removes them.
    /// Applies to the next claim on every worker; jobs already running keep running.
    public func setLimit(_ limit: JobLimit) throws {
        if let max = limit.maxConcurrent, max < 1 {
            throw QueueError(.invalidArguments, "the concurrency limit must be at least 1")
        }
        if let rate = limit.ratePerSecond, !(rate > 0 && rate.isFinite) {
            throw QueueError(.invalidArguments, "the rate must be a positive number of jobs per second or minute")
        }
        guard limit.burst >= 1 else { throw QueueError(.invalidArguments, "the burst must be at least 1") }
        guard limit.maxConcurrent != nil || limit.ratePerSecond != nil else {
            try removeLimit(key: limit.key)
            return
        }
        _ = try mapped {
            try connection.query("""
                INSERT INTO sealpress.job_limits AS l (key, max_concurrent, rate_per_second, burst, tokens)
                VALUES ($1, $2::int, $3::float8, $4::int, $4::int)
                ON CONFLICT (key) DO UPDATE SET max_concurrent = EXCLUDED.max_concurrent,
                    rate_per_second = EXCLUDED.rate_per_second, burst = EXCLUDED.burst,
                    tokens = least(l.tokens, EXCLUDED.burst), updated_at = now()
                """, [.text(limit.key), limit.maxConcurrent.map(PGValue.int) ?? .null,
                      limit.ratePerSecond.map(PGValue.double) ?? .null, .int(limit.burst)])
        }
    }

    /// Removes every limit of `key`.
    public func removeLimit(key: String) throws {
        _ = try mapped { try connection.query("DELETE FROM sealpress.job_limits WHERE key = $1", [.text(key)]) }
    }

    /// Every key's limits, by key.
    public func limits() throws -> [JobLimit] {
        try mapped {
            try connection.query("""
                SELECT key, max_concurrent, rate_per_second, burst FROM sealpress.job_limits ORDER BY key
                """)
        }.map {
            JobLimit(key: try $0.string(0), maxConcurrent: try $0.optionalInt(1),
                     ratePerSecond: try $0.optionalDouble(2), burst: try $0.int(3))
        }
    }
}
