/// Migration 7: the claim is planned without sequential scans, whatever the size of `jobs` when it was planned.
///
/// `sealpress.claim_jobs`' statements are planned once per session and cached (plpgsql; generic plans under the
/// worker's `plan_cache_mode = force_generic_plan`). A session that claims first while `jobs` holds a few pages —
/// a worker started on an empty or new queue, as `sealpress bench pipeline` starts them after the first 100 jobs —
/// caches a sequential scan for the claim's by-id `UPDATE … WHERE id = ANY(…)`, and keeps it when the table has
/// grown to thousands of rows (nothing invalidates the plan until autovacuum analyses the table): every claim then
/// read the whole table, dead row versions included. With `enable_seqscan = off` as the function's own setting, the
/// plans made inside it take the indexes (primary key, the partial fetch indexes) at any size; the small `pauses`
/// and `job_limits` are probed by their primary keys instead of read. `jit = off` with it: a plan whose only path is
/// a sequential scan costs 10^10 with `enable_seqscan = off`, far above `jit_above_cost`, and JIT-compiling such a
/// statement takes a second (measured: the batch fold, 0.3 ms → 1.3 s) — and a claim never gains from JIT anyway.
/// Signature and behaviour are unchanged.
extension Migration {
    static let v7ClaimWithoutSeqScans = Migration(version: 7, name: "claim planned without sequential scans", sql: #"""
ALTER FUNCTION sealpress.claim_jobs(integer, uuid, text[], bigint[]) SET enable_seqscan = off SET jit = off;
"""#)
}
