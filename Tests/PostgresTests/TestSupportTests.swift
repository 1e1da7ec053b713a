import Foundation
import Postgres
import SealTestSupport
import Testing

/// The test support other suites build on: isolated databases, private clusters that restart.
@Suite struct TestSupportTests {
    @Test func eachTestGetsItsOwnEmptyDatabase() throws {
        let first = try TestPostgres.shared.makeDatabase(prefix: "Iso Lation")
        let second = try TestPostgres.shared.makeDatabase(prefix: "Iso Lation")
        #expect(first != second)
        let a = try PGConnection(first)
        let b = try PGConnection(second)
        try a.execute("CREATE TABLE only_here (n int)")
        #expect(try b.query("SELECT to_regclass('only_here') IS NULL AS missing")[row: 0].bool("missing"))
        #expect(try a.query("SELECT current_database() AS db")[row: 0].string("db").hasPrefix("iso_lation_"))
    }

    @Test func privateClusterRestartsOnTheSamePortAndClientsRecover() throws {
        let cluster = try TestPostgres.shared.makeCluster()
        let url = try cluster.makeDatabase(prefix: "restart")
        let connection = try PGConnection(url)
        try connection.listen("jobs")
        try connection.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)")
        let home = cluster.embedded.home
        try cluster.restart()
        let error = #expect(throws: PGError.self) { try connection.query("SELECT n FROM kept") }
        #expect(error?.isConnectionError == true)
        try connection.reset()  // same URL, same port
        #expect(try connection.query("SELECT n FROM kept")[row: 0].int("n") == 1)
        try PGConnection(url).notify("jobs", payload: "after restart")
        #expect(try connection.waitForNotifications(timeout: .seconds(30)).map(\.payload) == ["after restart"])

        // While stopped, connecting fails as a connection error; start brings it back.
        try cluster.stop()
        #expect(throws: PGError(.connectionFailed, "")) { _ = try PGConnection(url) }
        try cluster.start()
        #expect(try PGConnection(url).query("SELECT 1 AS one")[row: 0].int("one") == 1)
        connection.close()
        _ = consume cluster
        #expect(!FileManager.default.fileExists(atPath: home.path))
    }

    @Test func urlRewritingKeepsCredentialsAndOptions() {
        #expect(TestPostgres.url("postgresql://u:p@h:5/db?sslmode=disable", database: "x")
            == "postgresql://u:p@h:5/x?sslmode=disable")
        #expect(TestPostgres.url("host=h port=5", database: "it's") == "host=h port=5 dbname='it\\'s'")
        #expect(TestPostgres.url("", database: "x") == "dbname='x'")
    }

    @Test func builtSealpressBinaryIsFound() throws {
        let binary = try #require(TestBinaries.sealpress)
        let result = try TestEnvironment.run(binary, ["version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("sealpress"))
    }
}
