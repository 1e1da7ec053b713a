/// The pipeline's tables: the seal registry, grants, registry events and the append-only usage log.
///
/// The usage log's chain is computed by PostgreSQL itself in a BEFORE INSERT trigger that serialises inserts with a
/// transaction-scoped advisory lock, so every worker on every host extends one chain, and a worker can write a row
/// in the same transaction as its fenced job completion. ``UsageRecord/canonicalEncoding`` is the Swift twin of
/// `sealpress.usage_canonical`; `sealpress audit verify` recomputes the chain in Swift.
public enum PipelineSchema {
    /// Version of the migration that creates these tables (the queue's migrations use 1…99).
    public static let version = 100
    public static let name = "seal registry, grants and usage log"

    public static let sql = #"""
CREATE TABLE sealpress.seals (
    name               text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,127}$'),
    es_id              text NOT NULL UNIQUE,
    seal_name          text NOT NULL,              -- the name inside the SESeal (印章名称)
    owner_organisation text NOT NULL,
    owner_credit_code  text CHECK (owner_credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    seal_type          text NOT NULL,
    valid_from         timestamptz NOT NULL,
    valid_to           timestamptz NOT NULL CHECK (valid_to > valid_from),
    state              text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'suspended', 'cancelled')),
    key_reference      text NOT NULL,              -- where the key is (file or PKCS#12 path); never key material
    esl                bytea NOT NULL,             -- the SESeal DER as made by the seal maker
    esl_sha256         bytea NOT NULL CHECK (length(esl_sha256) = 32),
    registered_at      timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sealpress.grants (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seal        text NOT NULL REFERENCES sealpress.seals (name),
    principal   text NOT NULL CHECK (length(principal) BETWEEN 1 AND 256),
    pipelines   text[] NOT NULL DEFAULT '{}',     -- empty: every pipeline
    valid_from  timestamptz NOT NULL,
    valid_to    timestamptz NOT NULL CHECK (valid_to > valid_from),
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX grants_lookup ON sealpress.grants (seal, principal) WHERE revoked_at IS NULL;

-- Every change to the registry (register, suspend, resume, cancel, grant, revoke), for the operator's audit.
CREATE TABLE sealpress.registry_events (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seal    text NOT NULL,
    event   text NOT NULL,
    detail  jsonb NOT NULL DEFAULT '{}',
    actor   text NOT NULL DEFAULT current_user,
    at      timestamptz NOT NULL DEFAULT now()
);

-- Append-only usage log: one row per signature, hash-chained.
CREATE TABLE sealpress.usage_log (
    sequence             bigint PRIMARY KEY,
    job_id               bigint,
    principal            text NOT NULL,
    seal                 text NOT NULL,
    es_id                text NOT NULL,
    certificate_serial   text NOT NULL,
    format               text NOT NULL,
    document_before      text NOT NULL CHECK (document_before ~ '^[0-9a-f]{64}$'),
    document_after       text NOT NULL CHECK (document_after ~ '^[0-9a-f]{64}$'),
    signed_at            timestamptz NOT NULL,
    timestamp_token_hash text,
    host                 text NOT NULL,
    previous_hash        text NOT NULL,
    row_hash             text NOT NULL
);
CREATE INDEX usage_log_job ON sealpress.usage_log (job_id);
CREATE INDEX usage_log_seal ON sealpress.usage_log (seal, signed_at);

-- The canonical encoding the chain hash covers (twin of UsageRecord.canonicalEncoding in Swift).
CREATE FUNCTION sealpress.usage_field(v text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN '\x00'::bytea
                ELSE '\x01'::bytea || int4send(octet_length(convert_to(v, 'UTF8'))) || convert_to(v, 'UTF8') END
$$;

CREATE FUNCTION sealpress.usage_canonical(r sealpress.usage_log) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_to('sealpress-usage-v1', 'UTF8')
        || sealpress.usage_field(r.sequence::text)
        || sealpress.usage_field(r.job_id::text)
        || sealpress.usage_field(r.principal)
        || sealpress.usage_field(r.seal)
        || sealpress.usage_field(r.es_id)
        || sealpress.usage_field(r.certificate_serial)
        || sealpress.usage_field(r.format)
        || sealpress.usage_field(r.document_before)
        || sealpress.usage_field(r.document_after)
        || sealpress.usage_field((round(extract(epoch FROM r.signed_at) * 1000000))::bigint::text)
        || sealpress.usage_field(r.timestamp_token_hash)
        || sealpress.usage_field(r.host)
        || sealpress.usage_field(r.previous_hash)
$$;

-- Extends the chain: whatever the inserter wrote into sequence/previous_hash/row_hash is replaced.
CREATE FUNCTION sealpress.usage_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last_row sealpress.usage_log;
BEGIN
    PERFORM pg_advisory_xact_lock(1936023916, 1);  -- 0x7365616c 'seal': one chain, one writer at a time
    SELECT * INTO last_row FROM sealpress.usage_log ORDER BY sequence DESC LIMIT 1;
    NEW.sequence := coalesce(last_row.sequence, 0) + 1;
    NEW.previous_hash := coalesce(last_row.row_hash, repeat('0', 64));
    NEW.signed_at := date_trunc('microseconds', NEW.signed_at);
    NEW.row_hash := encode(sha256(convert_to(NEW.previous_hash, 'UTF8') || sealpress.usage_canonical(NEW)), 'hex');
    RETURN NEW;
END $$;
CREATE TRIGGER usage_log_chain BEFORE INSERT ON sealpress.usage_log
    FOR EACH ROW EXECUTE FUNCTION sealpress.usage_log_chain();

-- Append-only for everyone who does not bypass triggers; the worker role cannot even try (no privilege).
CREATE FUNCTION sealpress.usage_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sealpress.usage_log is append-only' USING ERRCODE = 'SP100';
END $$;
CREATE TRIGGER usage_log_append_only BEFORE UPDATE OR DELETE ON sealpress.usage_log
    FOR EACH ROW EXECUTE FUNCTION sealpress.usage_log_append_only();
CREATE TRIGGER usage_log_no_truncate BEFORE TRUNCATE ON sealpress.usage_log
    FOR EACH STATEMENT EXECUTE FUNCTION sealpress.usage_log_append_only();

-- The pipeline's job kinds, known before any worker registers them.
INSERT INTO sealpress.job_kinds (kind, description) VALUES
    ('stamp', 'stamps a PDF or OFD document with a registered seal through a pipeline'),
    ('verify', 'verifies the seals and signatures of a PDF or OFD document')
ON CONFLICT (kind) DO NOTHING;

-- NOTIFY sealpress_batches with the label when a batch's last job finishes.
CREATE FUNCTION sealpress.batches_notify_finished() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.finished_at IS NOT NULL AND OLD.finished_at IS NULL THEN
        PERFORM pg_notify('sealpress_batches', NEW.label);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER batches_notify_finished AFTER UPDATE OF finished_at ON sealpress.batches
    FOR EACH ROW EXECUTE FUNCTION sealpress.batches_notify_finished();

-- The role worker logins belong to: it runs jobs, reads the registry, and may only INSERT into the usage log.
-- Roles are cluster-wide: two databases migrated at once may both try to create it.
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sealpress_worker') THEN
        CREATE ROLE sealpress_worker NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
GRANT USAGE ON SCHEMA sealpress TO sealpress_worker;
GRANT SELECT ON sealpress.seals, sealpress.grants TO sealpress_worker;
GRANT INSERT ON sealpress.usage_log TO sealpress_worker;
REVOKE UPDATE, DELETE, TRUNCATE ON sealpress.usage_log FROM PUBLIC;
-- The queue's tables: claim, heartbeat, complete (no DDL, no registry changes).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA sealpress TO sealpress_worker;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON sealpress.seals, sealpress.grants, sealpress.registry_events
    FROM sealpress_worker;
REVOKE UPDATE, DELETE, TRUNCATE ON sealpress.usage_log FROM sealpress_worker;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA sealpress TO sealpress_worker;
"""#
}
