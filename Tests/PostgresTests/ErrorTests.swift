import Foundation
import Postgres
import SealTestSupport
import Testing

/// Server errors carry their SQLSTATE; descriptions stay free of row values and SQL.
@Suite struct ErrorTests {
    let connection: PGConnection

    init() throws {
        connection = try PGConnection(try TestPostgres.shared.makeDatabase(prefix: "errors"))
    }

    @Test func uniqueViolationCarriesSQLStateAndConstraint() throws {
        try connection.execute("CREATE TABLE seals (code text CONSTRAINT seals_code_key UNIQUE)")
        try connection.query("INSERT INTO seals VALUES ($1)", ["110105000012345"])
        let error = #expect(throws: PGError.self) {
            try connection.query("INSERT INTO seals VALUES ($1)", ["110105000012345"])
        }
        #expect(error?.code == .queryFailed)
        #expect(error?.sqlState == "23505")
        #expect(error?.constraintName == "seals_code_key")
        #expect(error?.isConnectionError == false)
        // The value is in the server's DETAIL: only the debug description may show it.
        #expect(error?.description.contains("110105000012345") == false)
        #expect(error?.description.contains("23505") == true)
        #expect(error?.debugDescription.contains("110105000012345") == true)
        // The connection is still usable after a statement error.
        #expect(try connection.query("SELECT count(*) AS n FROM seals")[row: 0].int("n") == 1)
    }

    @Test func syntaxAndTypeErrorsAreQueryFailures() throws {
        let syntax = #expect(throws: PGError.self) { try connection.query("SELEC 1") }
        #expect(syntax?.sqlState == "42601")
        let badType = #expect(throws: PGError.self) { try connection.query("SELECT $1::int4", [.text("x")]) }
        #expect(badType?.code == .queryFailed)
        #expect(badType?.sqlState == "42846" || badType?.sqlState == "22P02")
        let parameterDescription = badType?.description ?? ""
        #expect(!parameterDescription.contains("SELECT"))
    }

    @Test func connectingToAClosedPortFailsQuicklyWithATypedError() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: PGError.self) {
            _ = try PGConnection("postgresql://postgres@127.0.0.1:1/postgres")
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.isConnectionError == true)
        #expect(clock.now - start < .seconds(5))
    }

    @Test func closedConnectionThrowsConnectionLost() throws {
        connection.close()
        #expect(!connection.isHealthy)
        let error = #expect(throws: PGError.self) { try connection.query("SELECT 1") }
        #expect(error?.code == .connectionLost)
        try connection.reset()
        #expect(try connection.query("SELECT 1 AS one")[row: 0].int("one") == 1)
    }

    @Test func errorsCompareByCode() {
        #expect(PGError(.timeout, "a", sqlState: "1") == PGError(.timeout, "b"))
        #expect(PGError(.timeout, "a") != PGError(.decoding, "a"))
        #expect(PGError(.queryFailed, "x", sqlState: "57P01").isConnectionError)
        #expect(PGError(.queryFailed, "x", sqlState: "08006").isConnectionError)
        #expect(PGError(.queryFailed, "x", sqlState: "40001").isTransient)
        #expect(!PGError(.queryFailed, "x", sqlState: "23505").isTransient)
    }
}
