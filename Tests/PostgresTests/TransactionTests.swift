import Foundation
import Postgres
import SealTestSupport
import Testing

@Suite struct TransactionTests {
    let connection: PGConnection

    init() throws {
        connection = try PGConnection(try TestPostgres.shared.makeDatabase(prefix: "tx"))
        try connection.execute("CREATE TABLE jobs (id int PRIMARY KEY)")
    }

    struct Abort: Error {}

    private func count() throws -> Int { try connection.query("SELECT count(*) AS n FROM jobs")[row: 0].int("n") }

    @Test func commitKeepsRowsAndReturnsTheBodysValue() throws {
        let value = try connection.transaction { tx in
            try tx.query("INSERT INTO jobs VALUES (1), (2)")
            return "done"
        }
        #expect(value == "done")
        #expect(try count() == 2)
        #expect(!connection.isInTransaction)
    }

    @Test func throwingRollsBackAndRethrows() throws {
        #expect(throws: Abort.self) {
            try connection.transaction { tx in
                try tx.query("INSERT INTO jobs VALUES (1)")
                throw Abort()
            }
        }
        #expect(try count() == 0)
        #expect(!connection.isInTransaction)
    }

    @Test func aServerErrorInsideRollsBackEverything() throws {
        let error = #expect(throws: PGError.self) {
            try connection.transaction { tx in
                try tx.query("INSERT INTO jobs VALUES (1)")
                try tx.query("INSERT INTO jobs VALUES (1)")
            }
        }
        #expect(error?.sqlState == "23505")
        #expect(try count() == 0)
    }

    @Test func aSwallowedErrorMakesCommitThrowInsteadOfSilentlyRollingBack() throws {
        let error = #expect(throws: PGError.self) {
            try connection.transaction { tx in
                try tx.query("INSERT INTO jobs VALUES (1)")
                _ = try? tx.query("INSERT INTO jobs VALUES (1)")
            }
        }
        #expect(error?.sqlState == "25P02")
        #expect(try count() == 0)
        #expect(!connection.isInTransaction)
    }

    @Test func nestedTransactionsUseSavepoints() throws {
        try connection.transaction { tx in
            try tx.query("INSERT INTO jobs VALUES (1)")
            _ = try? tx.transaction { inner in
                try inner.query("INSERT INTO jobs VALUES (2)")
                throw Abort()
            }
            try tx.transaction { inner in try inner.query("INSERT INTO jobs VALUES (3)") }
        }
        #expect(try connection.query("SELECT array_agg(id ORDER BY id) AS ids FROM jobs")[row: 0].int64Array("ids") == [1, 3])
    }
}
