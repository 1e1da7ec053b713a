import Foundation
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

    @Test func latencyPercentilesUseNearestRank() {
        let summary = LatencySummary(nanoseconds: (1...100).map { UInt64($0) * 1_000_000 })
        #expect(summary.count == 100)
        #expect(summary.p50Milliseconds == 50)
        #expect(summary.p99Milliseconds == 99)
        #expect(summary.maxMilliseconds == 100)
        #expect(LatencySummary(nanoseconds: []).p99Milliseconds == 0)
    }
}
