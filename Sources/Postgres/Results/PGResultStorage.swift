internal import CSealPQ

/// Owns one libpq `PGresult` and caches its column metadata.
///
/// `@unchecked Sendable`: immutable after init, and libpq's accessors on a finished `PGresult` only read it.
final class PGResultStorage: @unchecked Sendable {
    private let handle: OpaquePointer?
    let rowCount: Int
    let columnNames: [String]
    let columnOIDs: [UInt32]
    let commandTag: String
    let affectedRows: Int
    private let columnIndex: [String: Int]

    /// Takes ownership of `handle` (freed with `PQclear`); nil gives an empty result.
    init(takingOwnership handle: OpaquePointer?) {
        self.handle = handle
        guard let handle else {
            rowCount = 0
            columnNames = []
            columnOIDs = []
            commandTag = ""
            affectedRows = 0
            columnIndex = [:]
            return
        }
        rowCount = Int(PQntuples(handle))
        let columns = Int(PQnfields(handle))
        var names: [String] = []
        var oids: [UInt32] = []
        var index: [String: Int] = [:]
        names.reserveCapacity(columns)
        for column in 0..<columns {
            let name = PQfname(handle, Int32(column)).map { String(cString: $0) } ?? ""
            names.append(name)
            oids.append(UInt32(PQftype(handle, Int32(column))))
            if index[name] == nil { index[name] = column }
        }
        columnNames = names
        columnOIDs = oids
        columnIndex = index
        commandTag = PQcmdStatus(handle).map { String(cString: $0) } ?? ""
        let tuples = PQcmdTuples(handle).map { String(cString: $0) } ?? ""
        affectedRows = Int(tuples) ?? 0
    }

    deinit {
        if let handle { PQclear(handle) }
    }

    func index(of column: String) -> Int? { columnIndex[column] }

    /// The raw binary value, or nil for NULL. Valid while `self` is alive.
    func withValue<R>(
        row: Int, column: Int, _ body: (UnsafeRawBufferPointer?) throws(PGError) -> R
    ) throws(PGError) -> R {
        guard let handle, row >= 0, row < rowCount, column >= 0, column < columnNames.count else {
            throw PGError(.decoding, "row \(row) column \(column) is out of range")
        }
        if PQgetisnull(handle, Int32(row), Int32(column)) == 1 { return try body(nil) }
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        guard let pointer = PQgetvalue(handle, Int32(row), Int32(column)) else { return try body(nil) }
        return try body(UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: length))
    }

    func isNull(row: Int, column: Int) -> Bool {
        guard let handle, row >= 0, row < rowCount, column >= 0, column < columnNames.count else { return true }
        return PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }
}
