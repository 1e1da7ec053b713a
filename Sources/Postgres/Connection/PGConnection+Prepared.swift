internal import CSealPQ

// MARK: - Prepared statements

extension PGConnection {
    /// Like ``query(_:_:)``, but the statement is prepared once per connection (per parameter type
    /// signature) and then executed by name: the server skips parsing and planning, and after a few
    /// executions may keep a generic plan. Worth it for the hot statements of a worker (claim, complete).
    ///
    /// Prepared statements live in the server session: ``reset()`` forgets them and they are prepared
    /// again on next use; if the server lost one (`DISCARD ALL`), it is re-prepared once automatically.
    @discardableResult
    public func preparedQuery(_ sql: String, _ parameters: [PGValue] = []) throws(PGError) -> PGResult {
        return try exclusive("preparedQuery") { () throws(PGError) -> PGResult in
            let key = PreparedStatementKey(sql: sql, types: parameters.map(\.typeOID))
            do throws(PGError) {
                return try executePrepared(key, parameters)
            } catch where error.sqlState == "26000" {  // invalid_sql_statement_name: the session lost it
                preparedStatements[key] = nil
                return try executePrepared(key, parameters)
            }
        }
    }

    private func executePrepared(_ key: PreparedStatementKey, _ parameters: [PGValue]) throws(PGError) -> PGResult {
        let handle = try liveHandle()
        let name = try preparedName(key, handle: handle)
        let result: OpaquePointer? = try Self.withBinaryParameters(parameters) { count, _, values, lengths, formats in
            PQexecPrepared(handle, name, count, values, lengths, formats, 1)
        }
        return try checked(result, handle: handle, query: key.sql)
    }
}

extension PGConnection {
    /// The server-side name of `key`'s prepared statement, preparing it first when this session has not yet.
    func preparedName(_ key: PreparedStatementKey, handle: OpaquePointer) throws(PGError) -> String {
        if let existing = preparedStatements[key] { return existing }
        let name = "sealpress_\(preparedStatements.count + 1)_\(UInt32(truncatingIfNeeded: key.hashValue))"
        _ = try checked(PQprepare(handle, name, key.sql, Int32(key.types.count), key.types), handle: handle, query: key.sql)
        preparedStatements[key] = name
        return name
    }
}

/// A prepared statement is identified by its SQL and the parameter type OIDs it was prepared with.
struct PreparedStatementKey: Hashable {
    var sql: String
    var types: [UInt32]
}
