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
        let name: String
        if let existing = preparedStatements[key] {
            name = existing
        } else {
            name = "sealpress_\(preparedStatements.count + 1)_\(UInt32(truncatingIfNeeded: key.hashValue))"
            _ = try checked(PQprepare(handle, name, key.sql, Int32(key.types.count), key.types), handle: handle, query: key.sql)
            preparedStatements[key] = name
        }
        let result: OpaquePointer? = try Self.withBinaryParameters(parameters) { count, _, values, lengths, formats in
            PQexecPrepared(handle, name, count, values, lengths, formats, 1)
        }
        return try checked(result, handle: handle, query: key.sql)
    }
}

/// A prepared statement is identified by its SQL and the parameter type OIDs it was prepared with.
struct PreparedStatementKey: Hashable {
    var sql: String
    var types: [UInt32]
}

// MARK: - Named by SQL text (from the queue branch; both APIs are kept until pg and queue agree on one)


extension PGConnection {
    /// Runs `sql` as a named prepared statement of this session (`PQprepare` once, then `PQexecPrepared`), so hot
    /// statements skip parsing and planning on every call. The name derives from the SQL text; a session that
    /// does not know it yet (new or reconnected) gets it prepared on first use.
    ///
    /// Outside a transaction only: inside one, this falls back to ``query(_:_:)`` (a failed lookup would abort
    /// the transaction). Parameter types must not change between calls with the same SQL.
    ///
    /// - Throws: like ``query(_:_:)``.
    @discardableResult
    public func queryPrepared(_ sql: String, _ parameters: [PGValue] = []) throws(PGError) -> PGResult {
        if isInTransaction { return try query(sql, parameters) }
        let name = Self.preparedName(sql)
        do {
            return try executePrepared(name, sql: sql, parameters)
        } catch let error where error.sqlState == "26000" {  // invalid_sql_statement_name: not prepared yet
            let handle = try liveHandle()
            let types: [UInt32] = parameters.map(\.typeOID)
            _ = try checked(PQprepare(handle, name, sql, Int32(types.count), types), handle: handle, query: sql)
            return try executePrepared(name, sql: sql, parameters)
        }
    }

    private func executePrepared(_ name: String, sql: String, _ parameters: [PGValue]) throws(PGError) -> PGResult {
        let handle = try liveHandle()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(parameters.reduce(1) { $0 + $1.estimatedBinarySize })
        var offsets: [Int] = []
        var lengths: [Int32] = []
        for parameter in parameters {
            let start = buffer.count
            if parameter.appendBinary(to: &buffer) {
                guard buffer.count - start <= Int(Int32.max) else {
                    throw PGError(.invalidArgument, "parameter \(offsets.count + 1) exceeds 2 GB")
                }
                offsets.append(start)
                lengths.append(Int32(buffer.count - start))
            } else {
                offsets.append(-1)
                lengths.append(0)
            }
        }
        buffer.append(0)
        let formats = [Int32](repeating: 1, count: parameters.count)
        let result: OpaquePointer? = buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!)
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset < 0 ? nil : (base + offset).assumingMemoryBound(to: CChar.self)
            }
            return PQexecPrepared(handle, name, Int32(parameters.count), values, lengths, formats, 1)
        }
        return try checked(result, handle: handle, query: sql)
    }

    /// `sealpress_<FNV-1a 64 of the SQL>`: stable across processes, distinct per statement text.
    static func preparedName(_ sql: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return "sealpress_" + String(hash, radix: 16)
    }
}
