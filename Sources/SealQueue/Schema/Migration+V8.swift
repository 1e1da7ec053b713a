/// Migration 8: a completion may carry the SHA-256 of its whole output, so the server no longer reads the input
/// back to hash an output stored as an extension of it.
///
/// Migration 6's `sealpress.output_sha256` hashes `input || appended` on the server: for a 100 KB PDF that is the
/// input read back from TOAST, copied and hashed at every completion (≈ 0.3 ms of server CPU per job, measured),
/// although the worker hashed the same signed output a moment before (the usage log's `document_after`, the
/// verification report's `documentSHA256`).
///
/// - `sealpress.output_sha256_given(job_id, input_size, prefix, rest, sha256)`: the `sha256` of an output row when
///   the worker sent one. A whole output (`prefix` = 0) is hashed here as before and a sent hash must equal it; an
///   extension (`prefix` > 0) is accepted only when the job's input has exactly `prefix` bytes (`documents.size_bytes`,
///   no read of the content) and a 32-byte hash was sent, which is stored as the output's. Anything else raises
///   SP003 and the results transaction rolls back.
/// - Completions without a hash (other handlers, older workers) keep migration 6's path.
///
/// What the server no longer proves by itself — that an extension's stored hash is the hash of `input || bytes` —
/// is checked where the output is read whole: `sealpress export` hashes every output it writes and refuses one whose
/// bytes do not match `outputs.sha256`; `sha256(sealpress.output_bytes(job_id)) = sha256` checks it in SQL.
extension Migration {
    static let v8OutputHashFromWorker = Migration(version: 8, name: "output SHA-256 sent by the worker", sql: #"""
CREATE FUNCTION sealpress.output_sha256_given(p_job_id bigint, p_input_size bigint, p_prefix bigint, p_rest bytea,
                                              p_sha256 bytea)
RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_prefix = 0 THEN
        IF p_sha256 IS NOT NULL AND p_sha256 IS DISTINCT FROM sha256(p_rest) THEN
            RAISE EXCEPTION 'job %: the SHA-256 sent with the output is not the output''s', p_job_id
                USING ERRCODE = 'SP003';
        END IF;
        RETURN sha256(p_rest);
    END IF;
    IF p_input_size IS NULL OR p_input_size <> p_prefix OR p_rest IS NULL THEN
        RAISE EXCEPTION 'job %: the output was sent as an extension of a % byte input the job does not have',
            p_job_id, p_prefix USING ERRCODE = 'SP003';
    END IF;
    IF p_sha256 IS NULL OR octet_length(p_sha256) <> 32 THEN
        RAISE EXCEPTION 'job %: an output sent as an extension needs the whole output''s SHA-256 (32 bytes)', p_job_id
            USING ERRCODE = 'SP003';
    END IF;
    RETURN p_sha256;
END $$;
"""#)
}
