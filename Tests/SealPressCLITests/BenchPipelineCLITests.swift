import Foundation
import Postgres
import SealTestSupport
import Testing

/// `sealpress bench pipeline` as a user runs it, with a few documents on the test server: the new --format and
/// --kind options run end to end and the JSON carries the database-limit fields. Functional only: never a timing
/// assertion.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct BenchPipelineCLITests {
    /// pgbench beside the server binaries or on PATH (the baseline's fields are numbers only when it ran).
    static let pgbenchInstalled: Bool = {
        var directories = ((try? EmbeddedPostgres.findBinaries()).map { [$0.path] } ?? [])
        directories += (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        return directories.contains { FileManager.default.isExecutableFile(atPath: $0 + "/pgbench") }
    }()

    private static func bench(_ world: CLIWorld, _ arguments: [String]) throws -> (object: [String: Any], text: String) {
        let url = try TestPostgres.shared.makeDatabase(prefix: "cli_bench_pipeline")
        let result = try world.run([
            "bench", "pipeline", "--docs", "4", "--workers", "1", "--json", "--no-pyhanko", "--database-url", url,
            "--picture", CLIWorld.fixture("seal.png").path, "--pgbench-jobs", "40",
        ] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try result.stdout.jsonObject()
        #expect(object["docs"] as? Int == 4)
        #expect((object["docsPerSecond"] as? Double ?? 0) > 0)
        for field in ["pgbenchResultWritesPerSecond", "pgbenchRuns", "pgbenchResultBytes", "ratioToPgbench", "format", "kind"] {
            #expect(object.keys.contains(field), "no \(field) in \(result.stdout)")
        }
        // Where the CPU went: the worker process and the (local) server both did work for these documents.
        for field in ["cpuSecondsWorkers", "cpuSecondsPostgres", "cpuMillisecondsPerDocument", "coreUtilisation", "cpuBoundDocsPerSecond"] {
            #expect((object[field] as? Double ?? 0) > 0, "\(field) in \(result.stdout)")
        }
        return (object, result.stdout)
    }

    /// A number in the JSON text itself (not a string, not null).
    private static func isNumber(_ field: String, in text: String) -> Bool {
        text.range(of: "\"\(field)\" ?: ?-?[0-9]", options: .regularExpression) != nil
    }

    @Test func pdfStampJobsRunBesideThePgbenchBaseline() throws {
        let world = try CLIWorld.require()
        let (object, text) = try Self.bench(world, ["--format", "pdf", "--kind", "stamp", "--pdf", world.samplePDF])
        #expect(object["format"] as? String == "pdf")
        #expect(object["kind"] as? String == "stamp")
        #expect(object["verifyAfterSigning"] as? Bool == true)
        #expect(object["pgbenchResultBytes"] as? Int == 102_400)
        if Self.pgbenchInstalled {
            #expect(Self.isNumber("pgbenchResultWritesPerSecond", in: text), "\(text)")
            #expect(Self.isNumber("ratioToPgbench", in: text), "\(text)")
            #expect((object["pgbenchRuns"] as? [Double])?.count == 2, "pgbench runs before and after ours: \(text)")
            // The bound of the cores, from the same run: pgbench's own CPU per result (it and the local server
            // worked), the budget 70 % of its limit leaves per document, and the share the cores allow.
            let perResult = try #require(object["pgbenchCpuMillisecondsPerResult"] as? Double, "\(text)")
            #expect(perResult > 0)
            let budget = try #require(object["cpuBudgetMillisecondsPerDocumentAtGoal"] as? Double, "\(text)")
            let rate = try #require(object["pgbenchResultWritesPerSecond"] as? Double)
            let cores = try #require(object["cores"] as? Int)
            #expect(abs(budget - Double(cores) / (0.7 * rate) * 1000) < 0.02, "\(text)")
            let ceiling = try #require(object["cpuBoundRatioToPgbench"] as? Double, "\(text)")
            let bound = try #require(object["cpuBoundDocsPerSecond"] as? Double)
            #expect(abs(ceiling - bound / rate) < 0.002, "\(text)")
        }
    }

    @Test func ofdVerifyJobsRunWithoutTheBaseline() throws {
        let world = try CLIWorld.require()
        let (object, text) = try Self.bench(world, ["--format", "ofd", "--kind", "verify", "--ofd", world.sampleOFD, "--no-pgbench"])
        #expect(object["format"] as? String == "ofd")
        #expect(object["kind"] as? String == "verify")
        #expect(object["verifyAfterSigning"] as? Bool == false)
        #expect(object["pgbenchResultWritesPerSecond"] is NSNull, "--no-pgbench still ran pgbench: \(text)")
        #expect(object["ratioToPgbench"] is NSNull)
        #expect((object["pgbenchRuns"] as? [Any])?.isEmpty == true)
        for field in ["pgbenchCpuMillisecondsPerResult", "cpuBudgetMillisecondsPerDocumentAtGoal", "cpuBoundRatioToPgbench"] {
            #expect(object[field] is NSNull, "\(field) without pgbench: \(text)")
        }
    }

    @Test func ofdStampJobsRunFromAGeneratedSample() throws {
        let world = try CLIWorld.require()
        let (object, _) = try Self.bench(world, ["--format", "ofd", "--no-pgbench"])
        #expect(object["format"] as? String == "ofd")
        #expect(object["kind"] as? String == "stamp")
        #expect((object["documentBytes"] as? Int ?? 0) > 0)
    }

    @Test func anUnknownKindIsAUsageError() throws {
        let world = try CLIWorld.require()
        let result = try world.run(["bench", "pipeline", "--kind", "shred", "--no-pyhanko", "--no-pgbench"])
        #expect(result.status == 64, "\(result.stderr)")
    }
}
