public import SealQueue

extension PipelineSchema {
    /// Migration 104: the operator console's accounts and sessions, and console actions in the registry's event log.
    ///
    /// - `sealpress.console_accounts`: one row per person, with a role (`viewer` reads; `operator` also retries,
    ///   cancels, pauses and resumes; `seal_administrator` also suspends and resumes seals) and a PBKDF2-SHA256
    ///   password hash (``PasswordHash``, never the password).
    /// - `sealpress.console_sessions`: server-side sessions keyed by the SHA-256 of the cookie's random token (a
    ///   database reader cannot log in with what it sees), each with its CSRF token and expiry.
    /// - `sealpress.registry_events.seal` becomes nullable: console actions that concern no seal (retrying a job,
    ///   pausing a queue, logging in) are recorded there too, with the account as `actor`.
    public static let consoleAccounts = Migration(
        version: 104, name: "operator console accounts and sessions", sql: #"""
            CREATE TABLE sealpress.console_accounts (
                name          text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
                role          text NOT NULL CHECK (role IN ('viewer', 'operator', 'seal_administrator')),
                password_hash text NOT NULL CHECK (password_hash LIKE 'pbkdf2-sha256$%'),
                created_at    timestamptz NOT NULL DEFAULT now(),
                updated_at    timestamptz NOT NULL DEFAULT now(),
                disabled_at   timestamptz
            );

            CREATE TABLE sealpress.console_sessions (
                token_sha256 bytea PRIMARY KEY CHECK (length(token_sha256) = 32),
                account      text NOT NULL REFERENCES sealpress.console_accounts (name) ON DELETE CASCADE,
                csrf_token   text NOT NULL,
                created_at   timestamptz NOT NULL DEFAULT now(),
                expires_at   timestamptz NOT NULL
            );
            CREATE INDEX console_sessions_expiry ON sealpress.console_sessions (expires_at);

            ALTER TABLE sealpress.registry_events ALTER COLUMN seal DROP NOT NULL;

            DO $$ BEGIN
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sealpress_worker') THEN
                    REVOKE ALL ON sealpress.console_accounts, sealpress.console_sessions FROM sealpress_worker;
                END IF;
            END $$;
            """#)
}
