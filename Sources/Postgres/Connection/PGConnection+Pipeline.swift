internal import CSealPQ

// MARK: - Pipeline mode

extension PGConnection {
    /// Sends several statements in one round trip (libpq pipeline mode) and returns their results in order.
    ///
    /// Without an explicit BEGIN/COMMIT among them, the statements run as **one implicit transaction**
    /// ending at the pipeline's sync point: if any fails, none of them takes effect, and the first error is
    /// thrown (later statements are reported by the server as aborted). Use it to batch completions —
    /// on a network hop it saves a round trip per statement.
    ///
    /// Statements should return small results: the connection stays in blocking mode, so a pipeline whose
    /// results fill the socket buffers while parameters are still being sent would stall.
    ///
    /// - Throws: the first statement's ``PGError`` (with its SQLSTATE), or ``PGError/Code/connectionLost``.
    public func pipeline(_ statements: [(String, [PGValue])]) throws(PGError) -> [PGResult] {
        try pipeline(statements.map { PGStatement($0.0, $0.1) })
    }

    /// Like ``pipeline(_:)-([(String,[PGValue])])``, with statements that may be prepared: a statement marked
    /// ``PGStatement/prepared`` is prepared once per connection (as ``preparedQuery(_:_:)`` does, before the
    /// pipeline starts) and then executed by name inside it.
    public func pipeline(_ statements: [PGStatement]) throws(PGError) -> [PGResult] {
        return try exclusive("pipeline") { () throws(PGError) -> [PGResult] in
            let handle = try liveHandle()
            if statements.isEmpty { return [] }
            var names: [String?] = []
            names.reserveCapacity(statements.count)
            for statement in statements {
                names.append(statement.prepared
                    ? try preparedName(PreparedStatementKey(sql: statement.sql, types: statement.parameters.map(\.typeOID)), handle: handle)
                    : nil)
            }
            guard PQenterPipelineMode(handle) == 1 else {
                throw PGError(.queryFailed, "cannot enter pipeline mode: \(Self.errorMessage(handle))")
            }
            defer { _ = PQexitPipelineMode(handle) }
            for (statement, name) in zip(statements, names) {
                let sent = try Self.withBinaryParameters(statement.parameters) { count, types, values, lengths, formats in
                    if let name {
                        PQsendQueryPrepared(handle, name, count, values, lengths, formats, 1)
                    } else {
                        PQsendQueryParams(handle, statement.sql, count, types, values, lengths, formats, 1)
                    }
                }
                guard sent == 1 else {
                    let code: PGError.Code = PQstatus(handle) == CONNECTION_OK ? .queryFailed : .connectionLost
                    throw PGError(code, Self.errorMessage(handle), query: statement.sql)
                }
            }
            guard PQpipelineSync(handle) == 1 else {
                throw PGError(.connectionLost, "pipeline sync failed: \(Self.errorMessage(handle))")
            }
            var results: [PGResult] = []
            var firstError: PGError?
            for statement in statements {
                let sql = statement.sql
                var statementResult: PGResult?
                while let result = PQgetResult(handle) {
                    switch PQresultStatus(result) {
                    case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                        statementResult = PGResult(storage: PGResultStorage(takingOwnership: result))
                    case PGRES_PIPELINE_ABORTED:
                        PQclear(result)
                    default:
                        let error = Self.error(from: result, handle: handle, query: sql)
                        PQclear(result)
                        if firstError == nil { firstError = error }
                    }
                }
                guard PQstatus(handle) == CONNECTION_OK else {
                    throw firstError ?? PGError(.connectionLost, Self.errorMessage(handle), query: sql)
                }
                results.append(statementResult ?? PGResult(storage: PGResultStorage(takingOwnership: nil)))
            }
            // The sync point's own result closes the pipeline.
            while let result = PQgetResult(handle) {
                let status = PQresultStatus(result)
                PQclear(result)
                if status == PGRES_PIPELINE_SYNC { break }
            }
            if let firstError {
                if firstError.sqlState == "26000" {  // the session lost a prepared statement: prepare again next time
                    for statement in statements where statement.prepared {
                        preparedStatements[PreparedStatementKey(sql: statement.sql, types: statement.parameters.map(\.typeOID))] = nil
                    }
                }
                throw firstError
            }
            return results
        }
    }
}

/// One statement of a ``PGConnection/pipeline(_:)-([PGStatement])``.
public struct PGStatement: Sendable {
    public var sql: String
    public var parameters: [PGValue]
    /// Prepare once per connection and execute by name (hot statements); transaction control stays unprepared.
    public var prepared: Bool

    public init(_ sql: String, _ parameters: [PGValue] = [], prepared: Bool = false) {
        self.sql = sql
        self.parameters = parameters
        self.prepared = prepared
    }
}
