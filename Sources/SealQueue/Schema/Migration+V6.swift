/// Migration 6: outputs that extend their input are stored as the appended bytes only.
///
/// A signed PDF is its input plus an incremental update (a 97 KB document + ≈ 12 KB of signature, seal picture and
/// cross-reference): storing the whole output wrote the input's bytes a second time, through TOAST and WAL, for
/// every job. With `extends_input`, `sealpress.outputs.bytes` holds only what follows the job's input document
/// (`sealpress.documents.content` of `jobs.document_id`), and the output is `content || bytes`; `sha256` is still the
/// SHA-256 of the whole output. The worker sets it only when the output starts with the whole input, byte for byte
/// (checked against the document it claimed); documents are never changed and are deleted only with their last job,
/// which deletes its outputs too. Outputs written before keep `extends_input = false` and read as before.
///
/// - `sealpress.output_bytes(job_id)`: the whole output of a job (NULL when it has none): what readers call instead
///   of reading `outputs.bytes` themselves.
/// - `sealpress.output_sha256(job_id, input, prefix, rest)`: the completion's SHA-256 of the whole output; for an
///   extension (`prefix` > 0) it refuses (SP003, the results transaction rolls back) unless the job's input has
///   exactly `prefix` bytes — the length the worker compared.
extension Migration {
    static let v6OutputsExtendInput = Migration(version: 6, name: "outputs stored as the bytes appended to the input", sql: #"""
ALTER TABLE sealpress.outputs ADD COLUMN extends_input boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN sealpress.outputs.extends_input IS
    'bytes holds only what follows the job''s input document: the output is documents.content || bytes (sealpress.output_bytes)';

CREATE FUNCTION sealpress.output_bytes(p_job_id bigint) RETURNS bytea LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN o.extends_input THEN d.content || o.bytes ELSE o.bytes END
      FROM sealpress.outputs o
      JOIN sealpress.jobs j ON j.id = o.job_id
      LEFT JOIN sealpress.documents d ON d.id = j.document_id
     WHERE o.job_id = p_job_id
$$;

CREATE FUNCTION sealpress.output_sha256(p_job_id bigint, p_input bytea, p_prefix bigint, p_rest bytea)
RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_prefix = 0 THEN RETURN sha256(p_rest); END IF;
    IF p_input IS NULL OR octet_length(p_input) <> p_prefix OR p_rest IS NULL THEN
        RAISE EXCEPTION 'job %: the output was sent as an extension of a % byte input the job does not have',
            p_job_id, p_prefix USING ERRCODE = 'SP003';
    END IF;
    RETURN sha256(p_input || p_rest);
END $$;
"""#)
}
