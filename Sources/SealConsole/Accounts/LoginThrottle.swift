public import Foundation
import Postgres

/// Slows down password guessing at the console's login: after ``Policy/maxAccountFailures`` failed logins for one
/// account, or ``Policy/maxAddressFailures`` from one client address, within ``Policy/windowSeconds``, logins for
/// that account or from that address are refused (HTTP 429, without checking the password) for
/// ``Policy/lockoutSeconds``. The counts live in `sealpress.console_login_throttle` (migration 105), so every `serve`
/// and `console` process of a database shares them. A successful login clears the account's and the address's
/// counts.
public struct LoginThrottle: Sendable {
    public struct Policy: Sendable, Hashable {
        /// Failed logins for one account within the window that lock it (default 5).
        public var maxAccountFailures: Int
        /// Failed logins from one client address within the window that lock it (default 20: several people may
        /// share a proxy's or a NAT's address).
        public var maxAddressFailures: Int
        /// How far back failures count (default 15 minutes).
        public var windowSeconds: TimeInterval
        /// How long a locked account or address is refused (default 15 minutes).
        public var lockoutSeconds: TimeInterval

        public init(
            maxAccountFailures: Int = 5, maxAddressFailures: Int = 20, windowSeconds: TimeInterval = 15 * 60,
            lockoutSeconds: TimeInterval = 15 * 60
        ) {
            self.maxAccountFailures = maxAccountFailures
            self.maxAddressFailures = maxAddressFailures
            self.windowSeconds = windowSeconds
            self.lockoutSeconds = lockoutSeconds
        }
    }

    public var policy: Policy

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Until when the account or the address is locked (the later of both), or nil when neither is.
    func lockedUntil(account: String, address: String?, on connection: PGConnection) throws -> Date? {
        let keys = Self.keyNames(account: account, address: address)
        guard !keys.isEmpty else { return nil }
        return try connection.query(
            """
            SELECT max(locked_until) FROM sealpress.console_login_throttle
             WHERE key = ANY($1) AND locked_until > now()
            """, [.textArray(keys)]
        ).first?.optionalDate(0)
    }

    /// Counts a failed login; returns until when it locked the account or the address, when it did.
    func recordFailure(account: String, address: String?, on connection: PGConnection) throws -> Date? {
        // Housekeeping: rows whose window and lock are both over count for nothing.
        try connection.query(
            """
            DELETE FROM sealpress.console_login_throttle
             WHERE window_started < now() - make_interval(secs => $1) AND coalesce(locked_until < now(), true)
            """, [.double(policy.windowSeconds)])
        var locked: Date?
        for (key, limit) in Self.limits(account: account, address: address, policy: policy) {
            // A failure outside the window starts a new one; reaching the limit locks the key.
            let row = try connection.query(
                """
                INSERT INTO sealpress.console_login_throttle AS t (key, failures, window_started)
                VALUES ($1, 1, now())
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN t.window_started < now() - make_interval(secs => $2) THEN 1
                                    ELSE t.failures + 1 END,
                    window_started = CASE WHEN t.window_started < now() - make_interval(secs => $2) THEN now()
                                          ELSE t.window_started END
                RETURNING failures
                """, [.text(key), .double(policy.windowSeconds)]
            ).first
            guard let failures = try row?.int(0), failures >= limit else { continue }
            let until = try connection.query(
                """
                UPDATE sealpress.console_login_throttle
                   SET locked_until = now() + make_interval(secs => $2), failures = 0, window_started = now()
                 WHERE key = $1 RETURNING locked_until
                """, [.text(key), .double(policy.lockoutSeconds)]
            ).first?.optionalDate(0)
            if let until, locked.map({ until > $0 }) ?? true { locked = until }
        }
        return locked
    }

    /// A successful login: the account's and the address's failures are forgotten.
    func recordSuccess(account: String, address: String?, on connection: PGConnection) throws {
        try connection.query(
            "DELETE FROM sealpress.console_login_throttle WHERE key = ANY($1)",
            [.textArray(Self.keyNames(account: account, address: address))])
    }

    /// The throttle keys of a login attempt: the account (when named) and the client address (when known).
    static func keyNames(account: String, address: String?) -> [String] {
        limits(account: account, address: address, policy: Policy()).map(\.key)
    }

    static func limits(account: String, address: String?, policy: Policy) -> [(key: String, limit: Int)] {
        var keys: [(key: String, limit: Int)] = []
        if !account.isEmpty { keys.append(("account:" + String(account.prefix(64)), policy.maxAccountFailures)) }
        if let address, !address.isEmpty { keys.append(("address:" + String(address.prefix(64)), policy.maxAddressFailures)) }
        return keys
    }
}
