import Foundation
import Postgres

/// The physical baseline: pgbench running the bare claim-10 + complete-10 statements (two transactions, like a
/// worker) against the same `sealpress.jobs` table, same indexes and triggers, same machine, same run.
public struct PgbenchBaseline: Sendable {
    /// What pgbench measured.
    public struct Result: Sendable, Codable, Hashable {
        public var clients: Int
        public var batchSize: Int
        public var transactionsPerSecond: Double
        public var jobsPerSecond: Double
        public var completed: Int
        public var command: String
    }

    /// The pgbench script: one claim transaction (``claimStep``) and one completion transaction (by primary key,
    /// fenced on state like the worker's).
    public static let script = claimStep + """
        UPDATE sealpress.jobs SET state = 'completed', finalized_at = now()
         WHERE id = ANY(:ids) AND state::text = 'running';

        """

    /// The claim transaction of every baseline script (CTE, FOR UPDATE SKIP LOCKED, LIMIT 10); leaves the claimed
    /// ids in pgbench's `:ids`.
    public static let claimStep = """
        WITH c AS (
            SELECT id FROM sealpress.jobs
             WHERE state = 'available' AND scheduled_at <= now()
             ORDER BY priority, scheduled_at, id
             LIMIT 10 FOR UPDATE SKIP LOCKED),
        u AS (
            UPDATE sealpress.jobs j
               SET state = 'running', attempt = j.attempt + 1, attempted_at = now(),
                   locked_by = '00000000-0000-0000-0000-00000000b0b0'::uuid
              FROM c WHERE j.id = c.id
            RETURNING j.id)
        SELECT coalesce(array_agg(id), '{}') AS ids FROM u \\gset

        """

    public var jobs: Int
    public var clients: Int
    public var url: String

    public init(jobs: Int, clients: Int, url: String) {
        self.jobs = jobs
        self.clients = max(1, clients)
        self.url = url
    }

    /// The pgbench program beside the PostgreSQL server binaries, or on PATH.
    public static func findPgbench() -> URL? {
        if let directory = try? EmbeddedPostgres.findBinaries() {
            let candidate = directory.appendingPathComponent("pgbench")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("pgbench")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs one pgbench script (`-n -M prepared`, `clients` connections and threads, `perClient` transactions each)
    /// against `url` from a scratch directory; returns the transactions per second pgbench reports.
    static func runScript(
        _ script: String, named name: String, pgbench: URL, url: String, clients: Int, perClient: Int
    ) throws -> Double {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sealpress-pgbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scriptFile = directory.appendingPathComponent(name)
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = pgbench
        process.arguments = options(clients: clients, perClient: perClient) + ["-f", scriptFile.path, url]
        process.currentDirectoryURL = directory
        let output = directory.appendingPathComponent("pgbench.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try? handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0, let tps = Self.tps(in: text) else {
            throw PGError(.unsupported, "pgbench failed (status \(process.terminationStatus)): "
                + text.split(separator: "\n").suffix(3).joined(separator: " | "))
        }
        return tps
    }

    static func options(clients: Int, perClient: Int) -> [String] {
        ["-n", "-M", "prepared", "-c", "\(clients)", "-j", "\(clients)", "-t", "\(perClient)"]
    }

    /// The command line as the report prints it (the script by its name, the URL left out).
    static func commandLine(script name: String, clients: Int, perClient: Int) -> String {
        (["pgbench"] + options(clients: clients, perClient: perClient) + ["-f", name, "<url>"]).joined(separator: " ")
    }

    /// Seeds the same number of jobs and runs pgbench until they are all claimed and completed.
    public func run() throws -> Result {
        guard let pgbench = Self.findPgbench() else {
            throw PGError(.binariesNotFound, "pgbench not found (Debian: apt-get install postgresql-contrib or postgresql)")
        }
        let setup = try PGConnection(url)
        defer { setup.close() }
        _ = try QueueBenchmark.seed(setup, jobs: jobs)
        let perClient = max(1, jobs / 10 / clients)
        let tps = try Self.runScript(
            Self.script, named: "claim_complete_10.sql", pgbench: pgbench, url: url, clients: clients, perClient: perClient)
        let completed = try setup.query("SELECT count(*) FROM sealpress.jobs WHERE state = 'completed'")[0].int(0)
        return Result(
            clients: clients, batchSize: 10, transactionsPerSecond: tps, jobsPerSecond: tps * 10, completed: completed,
            command: Self.commandLine(script: "claim_complete_10.sql", clients: clients, perClient: perClient))
    }

    /// Reads `tps = 1234.5 (without initial connection time)` from pgbench's report.
    static func tps(in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("tps = ") && line.contains("without initial") {
            let number = line.dropFirst("tps = ".count).prefix { $0.isNumber || $0 == "." }
            return Double(number)
        }
        return nil
    }
}
