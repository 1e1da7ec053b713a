import Foundation
import Postgres
import SealQueue
import SealTestSupport
import SealWorker
import Testing

@Suite struct BenchmarkHarnessTests {
    /// The shell harness and `sealpress bench queue` must measure the same statements.
    @Test func shellHarnessRunsTheSameScriptAsTheBenchCommand() throws {
        let file = TestEnvironment.repositoryRoot.appendingPathComponent("Benchmarks/queue/claim_complete_10.sql")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == PgbenchBaseline.script)
    }

    /// The same for the 100 KB result-writes baseline of `sealpress bench pipeline`.
    @Test func resultWritesHarnessRunsTheSameScriptAsTheBenchCommand() throws {
        let file = TestEnvironment.repositoryRoot.appendingPathComponent("Benchmarks/queue/claim_complete_10_results.sql")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == PgbenchResultWrites.script)
    }

    /// The baseline really writes one result of the given size per completed job (functional, no timing).
    @Test(.enabled(if: PgbenchBaseline.findPgbench() != nil, "pgbench is not installed (apt-get install postgresql)"))
    func resultWritesBaselineWritesOneResultPerCompletion() throws {
        let url = try TestPostgres.shared.makeDatabase(prefix: "pgbench_results")
        let connection = try PGConnection(url)
        defer { connection.close() }
        try Migrator.migrate(connection)
        let result = try PgbenchResultWrites(jobs: 100, clients: 2, resultBytes: 4096, url: url).run()
        #expect(result.completed == 100)
        #expect(result.outputs == 100)
        #expect(result.resultBytes == 4096)
        #expect(result.jobsPerSecond > 0)
        let distinct = try connection.query("SELECT count(DISTINCT sha256) FROM sealpress.outputs")[0].int(0)
        #expect(distinct > 1, "the results come from a pool of different blobs")
    }

    @Test func latencyPercentilesUseNearestRank() {
        let summary = LatencySummary(nanoseconds: (1...100).map { UInt64($0) * 1_000_000 })
        #expect(summary.count == 100)
        #expect(summary.p50Milliseconds == 50)
        #expect(summary.p99Milliseconds == 99)
        #expect(summary.maxMilliseconds == 100)
        #expect(LatencySummary(nanoseconds: []).p99Milliseconds == 0)
    }
}
