import Foundation
import Postgres
import SealQueue
import SealTestSupport
import Testing

/// Bad input to the queue commands gets a clear message and exit status 3, never a crash.
@Suite struct QueueCommandLineTests {
    func sealpress(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let result = try TestEnvironment.run(try QueueTestSupport.sealpressBinary(), arguments, environment: environment)
        return (result.status, result.stdout + result.stderr)
    }

    @Test func enqueueRejectsAnUnknownKindAndMalformedArguments() throws {
        let url = try QueueTestSupport.freshDatabase()
        let unknown = try sealpress(["enqueue", "--database-url", url, "--kind", "stampp"])
        #expect(unknown.status == 3)
        #expect(unknown.output.contains("unknown job kind \"stampp\"") && unknown.output.contains("noop"))
        let malformed = try sealpress(["enqueue", "--database-url", url, "--kind", "noop", "--args", "{\"sleep_ms\": "])
        #expect(malformed.status == 3 && malformed.output.contains("invalid --args"))
        let notObject = try sealpress(["enqueue", "--database-url", url, "--kind", "noop", "--args", "[1]"])
        #expect(notObject.status == 3 && notObject.output.contains("JSON object"))
        #expect(try QueueTestSupport.counts(try PGConnection(url)).isEmpty, "nothing was enqueued")

        let ok = try sealpress(["enqueue", "--database-url", url, "--kind", "noop", "--count", "3", "--batch", "b"])
        #expect(ok.status == 0 && ok.output.contains("enqueued 3 noop jobs"))
        let status = try sealpress(["status", "--database-url", url, "--batch", "b", "--json"])
        #expect(status.status == 0)
        let decoded = try JSONDecoder.iso8601.decode(QueueStatus.self, from: Data(status.output.utf8))
        #expect(decoded.totals["available"] == 3 && decoded.batch?.total == 3)
        let cancel = try sealpress(["cancel", "--database-url", url, "999999"])
        #expect(cancel.status == 3 && cancel.output.contains("no job 999999"))
    }

    @Test func enqueueCarriesPrincipalAndLimitKeyAndStatusShowsThem() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        defer { connection.close() }
        try JobQueue(connection: connection).setLimit(JobLimit(key: "bureau", maxConcurrent: 4, ratePerSecond: 5, burst: 5))
        let bulk = try sealpress(["enqueue", "--database-url", url, "--kind", "noop", "--count", "7",
                                  "--principal", "bulk-office", "--limit-key", "bureau"])
        #expect(bulk.status == 0, "\(bulk.output)")
        let text = try sealpress(["status", "--database-url", url])
        #expect(text.output.contains("limit bureau: running 0/4  rate 5/s (burst 5)  queued 7"), "\(text.output)")
        #expect(text.output.contains("principals: bulk-office queued 7 running 0"), "\(text.output)")
        let json = try JSONDecoder.iso8601.decode(
            QueueStatus.self, from: Data(try sealpress(["status", "--database-url", url, "--json"]).output.utf8))
        #expect(json.principals.map(\.principal) == ["bulk-office"] && json.limits.first?.queued == 7)

        // Unique by content from the command line: the second file with the same bytes is a duplicate.
        let directory = try TestEnvironment.temporaryDirectory("sealpress-unique")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("a.pdf")
        try Data("%PDF-1.7 same".utf8).write(to: file)
        let first = try sealpress(["enqueue", "--database-url", url, "--kind", "noop", "--unique-within", "1h", "--json", file.path])
        let second = try sealpress(["enqueue", "--database-url", url, "--kind", "noop", "--unique-within", "1h", "--json", file.path])
        #expect(first.output.contains("\"outcome\": \"created\""), "\(first.output)")
        #expect(second.output.contains("\"outcome\": \"duplicate\""), "\(second.output)")
        let noFiles = try sealpress(["enqueue", "--database-url", url, "--kind", "noop", "--unique-within", "1h"])
        #expect(noFiles.status != 0 && noFiles.output.contains("--unique-within needs FILEs"))
    }

    @Test func unmigratedAndUnreachableDatabasesAreExplained() throws {
        let empty = try TestPostgres.shared.makeDatabase(prefix: "empty")
        let unmigrated = try sealpress(["status", "--database-url", empty])
        #expect(unmigrated.status == 3 && unmigrated.output.contains("sealpress migrate"))
        let worker = try sealpress(["worker", "--database-url", empty, "--exit-when-idle"])
        #expect(worker.status == 3 && worker.output.contains("sealpress migrate"))

        let unreachable = try sealpress(["enqueue", "--database-url", "postgresql://nobody@127.0.0.1:1/none", "--kind", "noop"])
        #expect(unreachable.status == 3 && unreachable.output.contains("cannot connect to PostgreSQL"))
        #expect(!unreachable.output.contains("Fatal error"))
    }

    @Test func missingPostgresBinariesAreExplained() throws {
        let home = try TestEnvironment.temporaryDirectory("sealpress-nobin")
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = ["SEALPRESS_HOME": home.path, "SEALPRESS_PG_BIN": home.appendingPathComponent("nope").path]
        for name in ["DATABASE_URL", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGSERVICE", "PGUSER"] {
            environment[name] = ""
        }
        let result = try sealpress(["migrate"], environment: environment)
        #expect(result.status == 3)
        #expect(result.output.contains("PostgreSQL server binaries not found"), "\(result.output)")
    }
}
