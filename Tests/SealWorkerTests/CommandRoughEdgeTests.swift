import Foundation
import SealTestSupport
import Testing

/// The command line refuses what it cannot do, saying what to do instead.
@Suite struct CommandRoughEdgeTests {
    /// status, audit log and export never create or start a database.
    @Test(arguments: [["status"], ["status", "--json"], ["audit", "log"], ["audit", "verify"]])
    func readOnlyCommandsNeverCreateADatabase(_ arguments: [String]) throws {
        let parent = try TestEnvironment.temporaryDirectory("sealpress-readonly")
        defer { try? FileManager.default.removeItem(at: parent) }
        let home = parent.appendingPathComponent("home")
        let result = try WorkerTestSupport.sealpress(arguments, environment: WorkerTestSupport.noDatabase(home: home))
        #expect(result.status == 3, "\(result.output)")
        #expect(result.output.contains("DATABASE_URL") && result.output.contains("sealpress db start"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: home.path), "a database was created under \(home.path)")
    }

    @Test func exportNeverCreatesADatabase() throws {
        let parent = try TestEnvironment.temporaryDirectory("sealpress-readonly")
        defer { try? FileManager.default.removeItem(at: parent) }
        let home = parent.appendingPathComponent("home")
        let result = try WorkerTestSupport.sealpress(
            ["export", "--batch", "b", "--out", parent.appendingPathComponent("out").path],
            environment: WorkerTestSupport.noDatabase(home: home))
        #expect(result.status == 3 && result.output.contains("sealpress db start"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: home.path))
    }

    @Test(arguments: ["not a url", "localhost:5432/sealpress", "postgresql://user@host:port/db", "dbserver"])
    func anUnparseableDatabaseURLIsAnError(_ url: String) throws {
        let home = try TestEnvironment.temporaryDirectory("sealpress-badurl")
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = WorkerTestSupport.noDatabase(home: home)
        environment["DATABASE_URL"] = url
        let result = try WorkerTestSupport.sealpress(["status"], environment: environment)
        #expect(result.status == 3)
        #expect(result.output.contains("DATABASE_URL is not a PostgreSQL URL"), "\(result.output)")
        #expect(result.output.contains("postgresql://user[:password]@host[:port]/database"))
        #expect(!result.output.contains(url), "the message repeats the URL (it may hold a password)")
        let flag = try WorkerTestSupport.sealpress(["enqueue", "--kind", "noop", "--database-url", url], environment: environment)
        #expect(flag.status == 3 && flag.output.contains("--database-url is not a PostgreSQL URL"), "\(flag.output)")
    }

    @Test func aWorkerWithoutPipelinesRefusesToStart() throws {
        let empty = try TestEnvironment.temporaryDirectory("sealpress-nopipelines")
        defer { try? FileManager.default.removeItem(at: empty) }
        let result = try WorkerTestSupport.sealpress(
            ["worker", "--pipelines", empty.path, "--database-url", "postgresql://nobody@127.0.0.1:1/none"])
        #expect(result.status == 3)
        #expect(result.output.contains("no pipeline in \(empty.path)"), "\(result.output)")
        let missing = try WorkerTestSupport.sealpress(
            ["worker", "--database-url", "postgresql://nobody@127.0.0.1:1/none"],
            environment: ["SEALPRESS_PIPELINES": empty.appendingPathComponent("nope").path])
        #expect(missing.status == 3 && missing.output.contains("does not exist"), "\(missing.output)")
    }

    @Test func enqueueRefusesAnUnknownPipeline() throws {
        let pipelines = TestEnvironment.repositoryRoot.appendingPathComponent("Pipelines").path
        let document = try TestEnvironment.temporaryDirectory("sealpress-enqueue")
        defer { try? FileManager.default.removeItem(at: document) }
        let file = document.appendingPathComponent("a.pdf")
        try Data("%PDF-1.7\n".utf8).write(to: file)
        let result = try WorkerTestSupport.sealpress([
            "enqueue", "stamp", "--pipeline", "no-such-pipeline", "--principal", "office", "--batch", "b",
            "--pipelines", pipelines, "--database-url", "postgresql://nobody@127.0.0.1:1/none", file.path,
        ])
        #expect(result.status == 3)
        #expect(result.output.contains("no pipeline named 'no-such-pipeline'"), "\(result.output)")
        #expect(result.output.contains("business-licence"), "the message lists the known pipelines: \(result.output)")
        let generic = try WorkerTestSupport.sealpress([
            "enqueue", "--kind", "stamp", "--args", #"{"pipeline": "no-such-pipeline", "principal": "office"}"#,
            "--pipelines", pipelines, "--database-url", "postgresql://nobody@127.0.0.1:1/none", file.path,
        ])
        #expect(generic.status == 3 && generic.output.contains("no pipeline named"), "\(generic.output)")
        let missingPrincipal = try WorkerTestSupport.sealpress([
            "enqueue", "--kind", "stamp", "--args", #"{"pipeline": "business-licence"}"#,
            "--pipelines", pipelines, "--database-url", "postgresql://nobody@127.0.0.1:1/none", file.path,
        ])
        #expect(missingPrincipal.status == 3 && missingPrincipal.output.contains("invalid --args"), "\(missingPrincipal.output)")
    }
}
