import Dispatch
import Foundation
import Postgres
import SealTestSupport
import Synchronization
import Testing

/// `sealpress db …` as a user runs it: separate processes sharing one home.
@Suite struct DBCommandProcessTests {
    @Test func twoProcessesStartingAtOnceShareOneClusterAndStatusStopWork() throws {
        let binary = try #require(TestBinaries.sealpress, "build the sealpress executable (swift build --build-tests)")
        let home = try TestEnvironment.temporaryDirectory("sealpress-cli")
        defer {
            try? EmbeddedPostgres(home: home).destroy()
            try? FileManager.default.removeItem(at: home)
        }
        let outputs = ProcessOutputs()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            outputs.append(try? TestEnvironment.run(binary, ["db", "start", "--home", home.path]))
        }
        let starts = outputs.values
        #expect(starts.count == 2)
        for start in starts { #expect(start?.status == 0, "db start failed: \(start?.stderr ?? "did not run")") }
        let urls = Set(starts.compactMap { $0?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(urls.count == 1)
        let url = try #require(urls.first)

        let status = try TestEnvironment.run(binary, ["db", "status", "--home", home.path, "--json"])
        #expect(status.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect(json?["state"] as? String == "running")
        #expect(json?["url"] as? String == url)
        #expect(try TestEnvironment.run(binary, ["db", "url", "--home", home.path]).stdout.contains(url))
        #expect(try PGConnection(url).query("SELECT 1 AS one")[row: 0].int("one") == 1)

        let stop = try TestEnvironment.run(binary, ["db", "stop", "--home", home.path])
        #expect(stop.status == 0)
        let stopped = try TestEnvironment.run(binary, ["db", "status", "--home", home.path, "--json"])
        #expect(stopped.status == 1)
        #expect(stopped.stdout.contains("\"state\":\"stopped\""))
    }
}

private final class ProcessOutputs: Sendable {
    private let storage = Mutex<[(status: Int32, stdout: String, stderr: String)?]>([])
    func append(_ value: (status: Int32, stdout: String, stderr: String)?) {
        storage.withLock { $0.append(value) }
    }
    var values: [(status: Int32, stdout: String, stderr: String)?] {
        storage.withLock { $0 }
    }
}
