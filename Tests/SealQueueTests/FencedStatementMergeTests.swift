import Postgres
@testable import SealQueue
import Testing

/// One-row INSERTs of a fetch cycle become one multi-row INSERT, rows and parameters in order.
@Suite struct FencedStatementMergeTests {
    let insert = "INSERT INTO t (a, b, c) VALUES"

    func row(_ value: Int) -> FencedStatement {
        FencedStatement(insert: insert, row: "(0, $1, $2, '')", parameters: [.int(value), .text("v\(value)")])
    }

    @Test func consecutiveRowsIntoOneTableBecomeOneStatement() {
        let other = FencedStatement(sql: "SELECT 1")
        let merged = FencedStatement.merged([row(1), row(2), row(3), other, row(4)])
        #expect(merged.map(\.sql) == [
            insert + "\n(0, $1, $2, ''),\n(0, $3, $4, ''),\n(0, $5, $6, '')", "SELECT 1", insert + "\n(0, $1, $2, '')",
        ])
        #expect(merged[0].parameters == [.int(1), .text("v1"), .int(2), .text("v2"), .int(3), .text("v3")])
        #expect(merged[2].parameters == [.int(4), .text("v4")])
        // Another table's rows are not mixed in.
        let elsewhere = FencedStatement(insert: "INSERT INTO u (a) VALUES", row: "($1)", parameters: [.int(9)])
        #expect(FencedStatement.merged([row(1), elsewhere, row(2)]).count == 3)
    }

    @Test func parametersAreRenumberedDigitByDigit() {
        #expect(FencedStatement.renumbered("($1, $9, $10, $11, '$', $2::int)", by: 11)
            == "($12, $20, $21, $22, '$', $13::int)")
        #expect(FencedStatement.renumbered("($1)", by: 0) == "($1)")
    }

    @Test func aLongRunIsSplitBelowTheParameterLimit() {
        let rows = (0..<(FencedStatement.rowsPerInsert + 3)).map(row)
        let merged = FencedStatement.merged(rows)
        #expect(merged.count == 2)
        #expect(merged[0].parameters.count == 2 * FencedStatement.rowsPerInsert)
        #expect(merged[1].parameters.count == 6)
        #expect(merged[1].sql.hasSuffix("(0, $5, $6, '')"))
    }
}
