public import SealQueue

extension PipelineSchema {
    /// Migration 105: the console's login throttle, shared by every `serve` / `console` process of a database.
    ///
    /// `sealpress.console_login_throttle` holds one row per throttled key — `account:NAME` or `address:IP` — with
    /// the failed logins counted since `window_started` and, once too many failed within the window, the time
    /// until which logins for that key are refused (HTTP 429, ``SealConsole``'s `LoginThrottle`). A successful login
    /// deletes the account's and the address's rows.
    public static let consoleLoginThrottle = Migration(
        version: 105, name: "console login throttle", sql: #"""
            CREATE TABLE sealpress.console_login_throttle (
                key            text PRIMARY KEY CHECK (key ~ '^(account|address):' AND length(key) <= 200),
                failures       integer NOT NULL CHECK (failures >= 0),
                window_started timestamptz NOT NULL,
                locked_until   timestamptz
            );

            DO $$ BEGIN
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sealpress_worker') THEN
                    REVOKE ALL ON sealpress.console_login_throttle FROM sealpress_worker;
                END IF;
            END $$;
            """#)
}
