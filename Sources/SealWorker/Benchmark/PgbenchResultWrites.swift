import Foundation
import Postgres
import SealQueue

/// The database limit of a pipeline: pgbench claiming 10 jobs per transaction and completing them in a second one
/// that also writes a 100 KB result per job into `sealpress.outputs` (same table, storage, indexes and triggers as
/// the workers' completions). The result bytes are incompressible and already on the server (a pool of 64 blobs),
/// so the figure counts the server's side only: the jobs rows, TOAST, WAL and the commits (job-queue reference
/// §5.2 (d), "d2"). `Benchmarks/queue/pgbench-results.sh` runs the same script by hand.
public struct PgbenchResultWrites: Sendable {
    /// What pgbench measured.
    public struct Result: Sendable, Codable, Hashable {
        public var clients: Int
        public var batchSize: Int
        public var resultBytes: Int
        public var transactionsPerSecond: Double
        /// Completions per second, each writing one result of `resultBytes`.
        public var jobsPerSecond: Double
        public var completed: Int
        public var outputs: Int
        public var command: String
    }

    /// The blob pool's table (in the scratch database the baseline runs in, never in `sealpress`).
    public static let blobTable = "public.bench_result_blobs"

    /// The pgbench script: the claim transaction (``PgbenchBaseline/claimStep``), then ONE statement completing the
    /// claimed jobs (fenced on state like the worker's) and inserting their results, as the workers' completion does.
    public static let script = PgbenchBaseline.claimStep + """
        WITH done AS (
            UPDATE sealpress.jobs SET state = 'completed', finalized_at = now()
             WHERE id = ANY(:ids) AND state::text = 'running'
            RETURNING id, attempt)
        INSERT INTO sealpress.outputs (job_id, attempt, worker_id, bytes, sha256)
        SELECT d.id, d.attempt, '00000000-0000-0000-0000-00000000b0b0'::uuid, b.bytes, b.sha256
          FROM done d JOIN public.bench_result_blobs b ON b.id = d.id % 64;

        """

    public var jobs: Int
    public var clients: Int
    public var resultBytes: Int
    public var url: String

    public init(jobs: Int, clients: Int, resultBytes: Int = 102_400, url: String) {
        self.jobs = max(10, jobs)
        self.clients = max(1, clients)
        self.resultBytes = max(16, resultBytes)
        self.url = url
    }

    /// The SQL that (re)creates the pool of 64 incompressible blobs of `bytes` each (MD5 output is random enough
    /// for pglz, and STORAGE EXTERNAL as on `sealpress.outputs.bytes`).
    public static func blobSQL(bytes: Int) -> String {
        let digests = (bytes + 15) / 16
        return """
            DROP TABLE IF EXISTS \(blobTable);
            CREATE TABLE \(blobTable) (id int PRIMARY KEY, bytes bytea NOT NULL, sha256 bytea NOT NULL);
            ALTER TABLE \(blobTable) ALTER COLUMN bytes SET STORAGE EXTERNAL;
            INSERT INTO \(blobTable) (id, bytes, sha256)
            SELECT i, b, sha256(b) FROM generate_series(0, 63) AS i,
                   LATERAL (SELECT substring(decode(string_agg(md5(i::text || ':' || k::text || ':' || random()::text), ''), 'hex')
                                             FROM 1 FOR \(bytes)) AS b
                              FROM generate_series(1, \(digests)) AS k) AS blob;
            """
    }

    /// Seeds the jobs and the blob pool in the migrated database at `url` (emptying its queue tables), runs pgbench
    /// until every job is claimed and completed, and checks the outputs were written.
    ///
    /// - Parameter timed: wraps the pgbench run alone (not the seeding before it), e.g. to sample the CPU it used.
    public func run(timed: (_ pgbench: () throws -> Double) throws -> Double = { try $0() }) throws -> Result {
        guard let pgbench = PgbenchBaseline.findPgbench() else {
            throw PGError(.binariesNotFound, "pgbench not found (Debian: apt-get install postgresql-contrib or postgresql)")
        }
        let setup = try PGConnection(url)
        defer { setup.close() }
        try setup.execute(Self.blobSQL(bytes: resultBytes))
        let perClient = max(1, jobs / 10 / clients)
        _ = try QueueBenchmark.seed(setup, jobs: perClient * 10 * clients)
        let tps = try timed {
            try PgbenchBaseline.runScript(
                Self.script, named: "claim_complete_10_results.sql", pgbench: pgbench, url: url, clients: clients,
                perClient: perClient)
        }
        let counts = try setup.query("""
            SELECT (SELECT count(*) FROM sealpress.jobs WHERE state = 'completed'),
                   (SELECT count(*) FROM sealpress.outputs WHERE length(bytes) = $1)
            """, [.int(resultBytes)])[0]
        let completed = try counts.int(0)
        let outputs = try counts.int(1)
        guard completed > 0, outputs == completed else {
            throw PGError(.unsupported, "pgbench completed \(completed) jobs but wrote \(outputs) results of \(resultBytes) bytes")
        }
        return Result(
            clients: clients, batchSize: 10, resultBytes: resultBytes, transactionsPerSecond: tps,
            jobsPerSecond: tps * 10, completed: completed, outputs: outputs,
            command: PgbenchBaseline.commandLine(script: "claim_complete_10_results.sql", clients: clients, perClient: perClient))
    }
}
