/// The rows and status of one executed statement. Values are decoded lazily from the binary result.
public struct PGResult: Sendable, RandomAccessCollection {
    let storage: PGResultStorage

    init(storage: PGResultStorage) { self.storage = storage }

    /// Number of rows returned.
    public var rowCount: Int { storage.rowCount }
    /// Column names in order.
    public var columnNames: [String] { storage.columnNames }
    /// The command tag, e.g. `INSERT 0 1`, `UPDATE 3`, `SELECT 2`.
    public var commandTag: String { storage.commandTag }
    /// Rows inserted, updated, deleted, selected, moved or copied (`PQcmdTuples`); 0 when not applicable.
    public var affectedRows: Int { storage.affectedRows }

    /// All rows.
    public var rows: [PGRow] { Array(self) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }
    public subscript(position: Int) -> PGRow { PGRow(storage: storage, index: position) }
    /// The row at `row` (0-based).
    public subscript(row row: Int) -> PGRow { PGRow(storage: storage, index: row) }
}
