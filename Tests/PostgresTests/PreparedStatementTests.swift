import Foundation
import Postgres
import SealTestSupport
import Testing

@Suite struct PreparedStatementTests {
    let connection: PGConnection

    init() throws {
        connection = try PGConnection(try TestPostgres.shared.makeDatabase(prefix: "prepared"))
        try connection.execute("CREATE TABLE jobs (id int8 PRIMARY KEY, state text NOT NULL)")
        try connection.execute("INSERT INTO jobs SELECT g, 'available' FROM generate_series(1, 20) g")
    }

    private func preparedCount() throws -> Int {
        try connection.query("SELECT count(*) AS n FROM pg_prepared_statements")[row: 0].int("n")
    }

    @Test func preparesOncePerSignatureAndReturnsTheSameResultsAsQuery() throws {
        let claim = "UPDATE jobs SET state = 'running' WHERE id IN (SELECT id FROM jobs WHERE state = 'available' ORDER BY id LIMIT $1) RETURNING id"
        var claimed: [Int] = []
        for _ in 0..<4 {
            claimed += try connection.preparedQuery(claim, [.int(3)]).map { try $0.int("id") }.sorted()
        }
        #expect(claimed == Array(1...12))
        #expect(try preparedCount() == 1)
        // Another parameter type is another statement.
        _ = try connection.preparedQuery("SELECT $1 AS v", [.text("a")])
        _ = try connection.preparedQuery("SELECT $1 AS v", [.int32(1)])
        #expect(try preparedCount() == 3)
        #expect(try connection.preparedQuery("SELECT $1 AS v", [.text("b")])[row: 0].string("v") == "b")
    }

    @Test func statementsLostByTheSessionOrAResetArePreparedAgain() throws {
        #expect(try connection.preparedQuery("SELECT count(*) AS n FROM jobs")[row: 0].int("n") == 20)
        try connection.execute("DEALLOCATE ALL")
        #expect(try connection.preparedQuery("SELECT count(*) AS n FROM jobs")[row: 0].int("n") == 20)
    }

    @Test func aResetConnectionPreparesAgain() throws {
        #expect(try connection.preparedQuery("SELECT 7 AS n")[row: 0].int("n") == 7)
        _ = try? connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
        try connection.reset()
        #expect(try connection.preparedQuery("SELECT 7 AS n")[row: 0].int("n") == 7)
    }

    @Test func serverErrorsFromPreparedStatementsCarrySQLState() throws {
        let error = #expect(throws: PGError.self) {
            try connection.preparedQuery("INSERT INTO jobs VALUES ($1, 'x')", [.int(1)])
        }
        #expect(error?.sqlState == "23505")
        let syntax = #expect(throws: PGError.self) { try connection.preparedQuery("SELEC 1") }
        #expect(syntax?.sqlState == "42601")
    }
}
