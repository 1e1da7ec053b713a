public import Foundation
public import Postgres
import SealCrypto

/// The console's accounts, sessions and event records: all of their SQL.
///
/// Callers own the connection and its thread (libpq calls block).
public struct ConsoleAccounts: Sendable {
    /// Shortest password accepted.
    public static let minimumPasswordLength = 12
    /// Name of the session cookie.
    static let cookieName = "sealpress_session"

    public init() {}

    /// One account as listed (never its hash).
    public struct Account: Sendable, Hashable {
        public var name: String
        public var role: ConsoleRole
        public var createdAt: Date
        public var disabled: Bool
    }

    /// Creates an account, or with `replace` sets the role and password of an existing one.
    ///
    /// - Throws: ``ConsoleError/Code/invalidAccount``, ``ConsoleError/Code/invalidPassword``,
    ///   ``ConsoleError/Code/accountExists``.
    public func add(
        name: String, role: ConsoleRole, password: String, iterations: Int = PasswordHash.defaultIterations,
        replace: Bool = false, on connection: PGConnection
    ) throws {
        guard name.range(of: #"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"#, options: .regularExpression) != nil else {
            throw ConsoleError(
                .invalidAccount, "an account name has 1 to 64 letters, digits, '.', '_', '@' or '-' and starts with a letter or digit")
        }
        guard password.count >= Self.minimumPasswordLength else {
            throw ConsoleError(.invalidPassword, "a console password needs at least \(Self.minimumPasswordLength) characters")
        }
        let hash = try PasswordHash(hashing: password, iterations: iterations).description
        let sql = replace
            ? """
              INSERT INTO sealpress.console_accounts (name, role, password_hash) VALUES ($1, $2, $3)
              ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,
                  updated_at = now(), disabled_at = NULL
              RETURNING name
              """
            : "INSERT INTO sealpress.console_accounts (name, role, password_hash) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING name"
        let result = try connection.query(sql, [.text(name), .text(role.rawValue), .text(hash)])
        if result.rowCount == 0 {
            throw ConsoleError(.accountExists, "an account named '\(name)' exists; give --replace to change its role and password")
        }
        if replace {
            // A new password ends the account's sessions.
            try connection.query("DELETE FROM sealpress.console_sessions WHERE account = $1", [.text(name)])
        }
        try record(event: "console.account", seal: nil, detail: ["account": name, "role": role.rawValue], actor: "cli", on: connection)
    }

    /// Disables an account and ends its sessions.
    public func disable(name: String, on connection: PGConnection) throws {
        let result = try connection.query(
            "UPDATE sealpress.console_accounts SET disabled_at = now() WHERE name = $1 RETURNING name", [.text(name)])
        guard result.rowCount == 1 else { throw ConsoleError(.unknownAccount, "no console account named '\(name)'") }
        try connection.query("DELETE FROM sealpress.console_sessions WHERE account = $1", [.text(name)])
    }

    /// Every account, by name.
    public func list(on connection: PGConnection) throws -> [Account] {
        try connection.query(
            "SELECT name, role, created_at, disabled_at IS NOT NULL AS disabled FROM sealpress.console_accounts ORDER BY name"
        ).map { row in
            Account(
                name: try row.string("name"), role: ConsoleRole(rawValue: try row.string("role")) ?? .viewer,
                createdAt: try row.date("created_at"), disabled: try row.bool("disabled"))
        }
    }

    /// The stored hash line of an account (tests and audits; never shown).
    public func storedHash(name: String, on connection: PGConnection) throws -> String? {
        try connection.query("SELECT password_hash FROM sealpress.console_accounts WHERE name = $1", [.text(name)])
            .first?.string("password_hash")
    }

    // MARK: - Login and sessions

    /// The account's role when `password` is right and the account enabled; nil otherwise. An unknown name costs
    /// as much time as a known one (a dummy hash is checked).
    func authenticate(name: String, password: String, on connection: PGConnection) throws -> ConsoleRole? {
        let row = try connection.query(
            "SELECT role, password_hash FROM sealpress.console_accounts WHERE name = $1 AND disabled_at IS NULL",
            [.text(name)]
        ).first
        guard let row, let stored = try? PasswordHash(stored: try row.string("password_hash")) else {
            _ = Self.dummy?.verify(password)
            return nil
        }
        guard stored.verify(password) else { return nil }
        return ConsoleRole(rawValue: try row.string("role"))
    }

    private static let dummy = try? PasswordHash(
        stored: "pbkdf2-sha256$\(PasswordHash.defaultIterations)$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")

    /// Opens a session; returns the cookie token (only its SHA-256 is stored) and the session.
    func openSession(account: String, role: ConsoleRole, lifetime: TimeInterval, on connection: PGConnection) throws
        -> (token: String, session: ConsoleSession)
    {
        let token = Self.base64URL(try PasswordHash.randomBytes(32))
        let csrf = Self.base64URL(try PasswordHash.randomBytes(32))
        let expires = Date().addingTimeInterval(lifetime)
        try connection.query("DELETE FROM sealpress.console_sessions WHERE expires_at < now()")
        try connection.query(
            "INSERT INTO sealpress.console_sessions (token_sha256, account, csrf_token, expires_at) VALUES ($1, $2, $3, $4)",
            [.bytea(Self.tokenHash(token)), .text(account), .text(csrf), .timestamptz(expires)])
        return (token, ConsoleSession(account: account, role: role, csrfToken: csrf, expiresAt: expires))
    }

    /// The live session of a cookie token, or nil (unknown, expired, or its account disabled).
    func session(token: String, on connection: PGConnection) throws -> ConsoleSession? {
        guard !token.isEmpty, token.count <= 128 else { return nil }
        guard let row = try connection.query(
            """
            SELECT s.account, a.role, s.csrf_token, s.expires_at FROM sealpress.console_sessions s
              JOIN sealpress.console_accounts a ON a.name = s.account
             WHERE s.token_sha256 = $1 AND s.expires_at > now() AND a.disabled_at IS NULL
            """, [.bytea(Self.tokenHash(token))]
        ).first else { return nil }
        guard let role = ConsoleRole(rawValue: try row.string("role")) else { return nil }
        return ConsoleSession(
            account: try row.string("account"), role: role, csrfToken: try row.string("csrf_token"),
            expiresAt: try row.date("expires_at"))
    }

    /// Ends a session.
    func closeSession(token: String, on connection: PGConnection) throws {
        try connection.query("DELETE FROM sealpress.console_sessions WHERE token_sha256 = $1", [.bytea(Self.tokenHash(token))])
    }

    // MARK: - Event log

    /// Records an action in the registry's event log (`sealpress.registry_events`) with the account as actor.
    public func record(event: String, seal: String?, detail: [String: String], actor: String, on connection: PGConnection)
        throws
    {
        let data = try JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys])
        try connection.query(
            "INSERT INTO sealpress.registry_events (seal, event, detail, actor) VALUES ($1, $2, $3, $4)",
            [seal.map(PGValue.text) ?? .null, .text(event), .jsonb(String(decoding: data, as: UTF8.self)), .text(actor)])
    }

    static func tokenHash(_ token: String) -> [UInt8] { Digest.hash(.sha256, Array(token.utf8)) }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
