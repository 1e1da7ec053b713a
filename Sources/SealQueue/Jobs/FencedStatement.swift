import Postgres

/// A statement a completion runs in the same transaction as its fenced `UPDATE … SET state = 'completed'`, and
/// only when the fence held (the job was still this worker's, on this attempt). The stamping pipeline writes its
/// usage-log rows this way, so a row exists exactly when the signed output does.
///
/// A one-row INSERT made with ``init(insert:row:parameters:)`` can be merged with the others of a fetch cycle
/// into one multi-row INSERT (``merged(_:)``): one statement per cycle instead of one per row, with the rows in
/// the same order (row triggers still fire once per row, in that order).
public struct FencedStatement: Sendable, Hashable {
    public var sql: String
    public var parameters: [PGValue]
    /// For a one-row INSERT: what statements into the same table share, and its row.
    public var rowInsert: RowInsert?

    /// A one-row INSERT, `insert` followed by `row`.
    public struct RowInsert: Sendable, Hashable {
        /// `INSERT INTO table (columns) VALUES`: statements with the same text are merged.
        public var insert: String
        /// The row, `(…)`, whose parameters are numbered from `$1`.
        public var row: String
    }

    public init(sql: String, parameters: [PGValue] = []) {
        self.sql = sql
        self.parameters = parameters
        self.rowInsert = nil
    }

    /// A one-row INSERT that may be merged with others into the same table (see ``merged(_:)``).
    ///
    /// - Parameters:
    ///   - insert: `INSERT INTO table (columns) VALUES`, without a row, RETURNING or ON CONFLICT.
    ///   - row: the parenthesised row, its parameters `$1…$n` in `parameters` order; no `$` in literals.
    public init(insert: String, row: String, parameters: [PGValue]) {
        self.sql = insert + "\n" + row
        self.parameters = parameters
        self.rowInsert = RowInsert(insert: insert, row: row)
    }

    /// Most rows one merged INSERT carries (its parameters stay far below PostgreSQL's 65,535).
    static let rowsPerInsert = 500

    /// `statements` in order, where consecutive one-row INSERTs with the same ``RowInsert/insert`` become one
    /// multi-row INSERT (`VALUES (…), (…), …`, parameters renumbered). Rows keep their order, so row triggers (the
    /// usage log's chain) see them as they would one statement at a time.
    public static func merged(_ statements: [FencedStatement]) -> [FencedStatement] {
        var merged: [FencedStatement] = []
        var rows = 0
        for statement in statements {
            if let insert = statement.rowInsert, let last = merged.last, let lastInsert = last.rowInsert,
               lastInsert.insert == insert.insert, rows < rowsPerInsert
            {
                var combined = last
                combined.sql += ",\n" + renumbered(insert.row, by: last.parameters.count)
                combined.parameters += statement.parameters
                combined.rowInsert = RowInsert(insert: insert.insert, row: "")  // merged: no longer one row
                merged[merged.count - 1] = combined
                rows += 1
            } else {
                merged.append(statement)
                rows = 1
            }
        }
        return merged
    }

    /// `row` with every parameter `$n` written as `$(n + offset)`.
    static func renumbered(_ row: String, by offset: Int) -> String {
        guard offset > 0 else { return row }
        var out = ""
        out.reserveCapacity(row.utf8.count + 16)
        var digits = ""
        var inParameter = false
        func flush() {
            if inParameter { out += digits.isEmpty ? "$" : "$\(Int(digits)! + offset)" }
            digits = ""
            inParameter = false
        }
        for character in row {
            if inParameter, character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            flush()
            if character == "$" { inParameter = true } else { out.append(character) }
        }
        flush()
        return out
    }
}
