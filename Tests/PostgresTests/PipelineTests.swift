import Foundation
import Postgres
import SealTestSupport
import Testing

@Suite struct PipelineTests {
    let connection: PGConnection

    init() throws {
        connection = try PGConnection(try TestPostgres.shared.makeDatabase(prefix: "pipeline"))
        try connection.execute(
            "CREATE TABLE jobs (id int PRIMARY KEY, state text NOT NULL); CREATE TABLE results (job_id int PRIMARY KEY, content bytea)")
        try connection.execute("INSERT INTO jobs SELECT g, 'running' FROM generate_series(1, 3) g")
    }

    @Test func batchedCompletionReturnsEveryResultInOrder() throws {
        let document = [UInt8](repeating: 0xAB, count: 100_000)
        let results = try connection.pipeline([
            ("INSERT INTO results VALUES ($1, $2)", [.int32(1), .bytea(document)]),
            ("INSERT INTO results VALUES ($1, $2)", [.int32(2), .bytea(document)]),
            ("UPDATE jobs SET state = 'completed' WHERE id = ANY($1) AND state = 'running'", [.int64Array([1, 2])]),
            ("SELECT count(*) AS n FROM results", []),
        ])
        #expect(results.map(\.affectedRows) == [1, 1, 2, 1])
        #expect(try results[3][row: 0].int("n") == 2)
        #expect(try connection.query("SELECT content FROM results WHERE job_id = 2")[row: 0].bytes("content") == document)
        #expect(!connection.isInTransaction)
    }

    @Test func aFailingStatementRollsBackTheWholeBatchAndThrowsItsError() throws {
        let error = #expect(throws: PGError.self) {
            try connection.pipeline([
                ("INSERT INTO results VALUES ($1, NULL)", [.int32(1)]),
                ("INSERT INTO results VALUES ($1, NULL)", [.int32(1)]),  // duplicate key
                ("UPDATE jobs SET state = 'completed'", []),
            ])
        }
        #expect(error?.sqlState == "23505")
        #expect(try connection.query("SELECT count(*) AS n FROM results")[row: 0].int("n") == 0)
        #expect(try connection.query("SELECT count(*) AS n FROM jobs WHERE state = 'running'")[row: 0].int("n") == 3)
        // The connection is back in normal mode and usable.
        #expect(try connection.query("SELECT 1 AS one")[row: 0].int("one") == 1)
        #expect(try connection.pipeline([PGStatement]()).isEmpty)
    }

    @Test func preparedStatementsRunByNameInsideThePipelineAndMixWithPlainOnes() throws {
        let insert = "INSERT INTO results VALUES ($1, $2)"
        for round in 0..<2 {  // the second round reuses the statement prepared by the first
            let base = Int32(10 + round * 10)
            let results = try connection.pipeline([
                PGStatement("BEGIN"),
                PGStatement(insert, [.int32(base), .bytea([1, 2, 3])], prepared: true),
                PGStatement(insert, [.int32(base + 1), .bytea([])], prepared: true),
                PGStatement("COMMIT"),
            ])
            #expect(results.map(\.commandTag) == ["BEGIN", "INSERT 0 1", "INSERT 0 1", "COMMIT"])
        }
        let prepared = try connection.query("SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1", [.text(insert)])
        #expect(try prepared[row: 0].int("n") == 1)
        #expect(try connection.query("SELECT count(*) AS n FROM results WHERE job_id >= 10")[row: 0].int("n") == 4)
        // A failure inside an explicit transaction leaves it aborted until the caller rolls back.
        #expect(throws: PGError.self) {
            try connection.pipeline([
                PGStatement("BEGIN"), PGStatement(insert, [.int32(10), .bytea([9])], prepared: true), PGStatement("COMMIT"),
            ])
        }
        #expect(connection.isInTransaction)
        try connection.execute("ROLLBACK")
        #expect(try connection.query("SELECT count(*) AS n FROM results WHERE job_id >= 10")[row: 0].int("n") == 4)
    }

    @Test func aPipelineWhoseStatementTheSessionLostWorksOnTheNextTry() throws {
        let select = PGStatement("SELECT count(*) AS n FROM jobs", prepared: true)
        #expect(try connection.pipeline([select])[0][row: 0].int("n") == 3)
        try connection.execute("DEALLOCATE ALL")
        let lost = #expect(throws: PGError.self) { try connection.pipeline([select]) }
        #expect(lost?.sqlState == "26000")
        #expect(try connection.pipeline([select])[0][row: 0].int("n") == 3)
    }
}
