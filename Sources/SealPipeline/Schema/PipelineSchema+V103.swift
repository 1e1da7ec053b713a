public import SealQueue

extension PipelineSchema {
    /// Migration 103: seal revocation and signed usage-log checkpoints (the status service's tables).
    ///
    /// Seals gain the `revoked` state (吊销: final, unlike suspension) and `state_changed_at`, the time the status
    /// service publishes; existing seals take their last state event's time (or `updated_at`). The state history
    /// itself stays in `registry_events` (`seal_revoked` names a seal's revocation, since `revoked` already names a
    /// grant's). `usage_checkpoints` keeps each signed chain head: the exact statement bytes, the CMS signature over
    /// them and the RFC 3161 token over the signature, when a TSA was configured. Checkpoints are append-only like
    /// the log they anchor; workers (the leader writes them) may insert and read.
    public static let statusService = Migration(
        version: 103, name: "seal revocation and usage-log checkpoints", sql: """
            ALTER TABLE sealpress.seals DROP CONSTRAINT IF EXISTS seals_state_check;
            ALTER TABLE sealpress.seals ADD CONSTRAINT seals_state_check
                CHECK (state IN ('active', 'suspended', 'cancelled', 'revoked'));
            ALTER TABLE sealpress.seals ADD COLUMN state_changed_at timestamptz;
            UPDATE sealpress.seals s SET state_changed_at = coalesce(
                (SELECT max(e.at) FROM sealpress.registry_events e
                  WHERE e.seal = s.name AND e.event IN ('suspended', 'resumed', 'cancelled')),
                s.updated_at);
            ALTER TABLE sealpress.seals ALTER COLUMN state_changed_at SET DEFAULT now();
            ALTER TABLE sealpress.seals ALTER COLUMN state_changed_at SET NOT NULL;
            CREATE INDEX registry_events_seal ON sealpress.registry_events (seal, at);

            CREATE TABLE sealpress.usage_checkpoints (
                id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                row_count       bigint NOT NULL CHECK (row_count >= 0),
                last_hash       text NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$'),
                statement       bytea NOT NULL,     -- the exact JSON bytes signed
                signature       bytea NOT NULL,     -- CMS SignedData (DER), detached, over statement
                timestamp_token bytea,              -- RFC 3161 token over the signature value, when a TSA is set
                created_at      timestamptz NOT NULL DEFAULT now()
            );
            CREATE FUNCTION sealpress.usage_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'sealpress.usage_checkpoints is append-only' USING ERRCODE = 'SP100';
            END $$;
            CREATE TRIGGER usage_checkpoints_append_only BEFORE UPDATE OR DELETE ON sealpress.usage_checkpoints
                FOR EACH ROW EXECUTE FUNCTION sealpress.usage_checkpoints_append_only();
            GRANT SELECT, INSERT ON sealpress.usage_checkpoints TO sealpress_worker;
            REVOKE UPDATE, DELETE, TRUNCATE ON sealpress.usage_checkpoints FROM sealpress_worker;
            """)
}
