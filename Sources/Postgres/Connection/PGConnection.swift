internal import CSealPQ
import Foundation
import Logging

/// One libpq connection.
///
/// Not thread-safe: exactly one thread may use a connection at a time. libpq calls block, so run them on
/// threads you own (a Dispatch queue or a thread per connection), never on Swift's cooperative pool.
///
/// Statements go through `PQexecParams` with every parameter in binary format and an explicit type OID,
/// and results come back in binary format, decoded by column type OID (see ``PGRow``).
///
/// `@unchecked Sendable`: the connection can be handed to another thread, but callers serialise its use.
public final class PGConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private let conninfo: String
    private let noticeLogger: NoticeLogger
    /// Channels this connection LISTENs on, re-established by ``reset()``.
    public private(set) var listenedChannels: [String] = []
    private var savepointCounter = 0
    /// Detects use from two threads at once, which would corrupt libpq's state.
    private let usage = NSRecursiveLock()
    /// Statements prepared in the current server session, by SQL and parameter types.
    var preparedStatements: [PreparedStatementKey: String] = [:]
    /// The logger this connection reports to.
    public let logger: Logger
    /// Wakes ``waitForNotifications(timeout:)`` from another thread.
    public let waker: PGWaker

    /// Opens a connection.
    ///
    /// - Parameters:
    ///   - conninfo: a `key=value` connection string or a `postgres://` / `postgresql://` URI; `""` uses
    ///     libpq's defaults and `PG*` environment variables. A 10 s connect timeout applies unless the
    ///     string or `PGCONNECT_TIMEOUT` sets one.
    ///   - logger: receives server notices (debug) and connection events.
    /// - Throws: ``PGError/Code/connectionFailed`` with libpq's message.
    public init(_ conninfo: String, logger: Logger = Logger(label: "sealpress.postgres")) throws(PGError) {
        self.conninfo = conninfo
        self.logger = logger
        self.noticeLogger = NoticeLogger(logger: logger)
        self.waker = try PGWaker()
        let handle = Self.connect(conninfo)
        guard let handle else { throw PGError(.connectionFailed, "out of memory creating a libpq connection") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.errorMessage(handle)
            PQfinish(handle)
            throw PGError(.connectionFailed, message)
        }
        self.handle = handle
        installNoticeReceiver(handle)
    }

    deinit { close() }

    private static func connect(_ conninfo: String) -> OpaquePointer? {
        // Array entries before the expanded dbname are defaults the conninfo may override; the one after is fixed.
        var pairs: [(String, String)] = []
        if ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"] == nil { pairs.append(("connect_timeout", "10")) }
        pairs.append(("dbname", conninfo))
        pairs.append(("fallback_application_name", "sealpress"))
        let keywords = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keywordPointers = keywords.map { UnsafePointer<CChar>($0) }
        var valuePointers = values.map { UnsafePointer<CChar>($0) }
        keywordPointers.append(nil)
        valuePointers.append(nil)
        return PQconnectdbParams(keywordPointers, valuePointers, 1)
    }

    private func installNoticeReceiver(_ handle: OpaquePointer) {
        let context = Unmanaged.passUnretained(noticeLogger).toOpaque()
        PQsetNoticeReceiver(handle, { context, result in
            guard let context, let result else { return }
            let logger = Unmanaged<NoticeLogger>.fromOpaque(context).takeUnretainedValue()
            let message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? ""
            let severity = PQresultErrorField(result, Int32(UInt8(ascii: "S"))).map { String(cString: $0) } ?? ""
            logger.logger.debug("server notice", metadata: ["severity": "\(severity)", "message": "\(message)"])
        }, context)
    }

    // MARK: - State

    /// True while libpq reports the connection as usable (`PQstatus == CONNECTION_OK`).
    public var isHealthy: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The server process ID serving this connection (0 when closed).
    public var backendPID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    /// The server version as an integer, e.g. 150010 for 15.10 (0 when closed).
    public var serverVersion: Int {
        guard let handle else { return 0 }
        return Int(PQserverVersion(handle))
    }

    /// A canceller for the statement this connection runs (nil when closed). Make a new one after ``reset()``.
    public func makeCanceller() -> PGCanceller? {
        guard let handle else { return nil }
        return PGCanceller(connection: handle)
    }

    /// True inside a transaction block (also when it has failed and awaits ROLLBACK).
    public var isInTransaction: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Reconnects with the same parameters (`PQreset`) and LISTENs again on every channel listened before.
    ///
    /// - Throws: ``PGError/Code/connectionFailed`` when the server cannot be reached.
    public func reset() throws(PGError) {
        try exclusive("reset") { () throws(PGError) -> Void in
            if let handle {
                PQreset(handle)
                guard PQstatus(handle) == CONNECTION_OK else {
                    throw PGError(.connectionFailed, Self.errorMessage(handle))
                }
            } else {
                guard let handle = Self.connect(conninfo) else { throw PGError(.connectionFailed, "out of memory") }
                guard PQstatus(handle) == CONNECTION_OK else {
                    let message = Self.errorMessage(handle)
                    PQfinish(handle)
                    throw PGError(.connectionFailed, message)
                }
                self.handle = handle
                installNoticeReceiver(handle)
            }
            savepointCounter = 0
            preparedStatements = [:]
            logger.info("reconnected to PostgreSQL", metadata: ["backend_pid": "\(backendPID)"])
            for channel in listenedChannels {
                try execute("LISTEN \(Self.quoteIdentifier(channel))")
            }
        }
    }

    /// Closes the connection; later calls throw ``PGError/Code/connectionLost`` until ``reset()``.
    public func close() {
        if let handle {
            PQfinish(handle)
            self.handle = nil
        }
    }

    // MARK: - Statements

    /// Runs one statement with binary parameters (`$1`, `$2`, …) and returns its binary result.
    ///
    /// - Throws: ``PGError/Code/queryFailed`` with ``PGError/sqlState`` when the server rejects it,
    ///   ``PGError/Code/connectionLost`` when the connection broke.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PGValue] = []) throws(PGError) -> PGResult {
        return try exclusive("query") { () throws(PGError) -> PGResult in
            let handle = try liveHandle()
            let result: OpaquePointer? = try Self.withBinaryParameters(parameters) { count, types, values, lengths, formats in
                PQexecParams(handle, sql, count, types, values, lengths, formats, 1)
            }
            return try checked(result, handle: handle, query: sql)
        }
    }

    /// Runs a script of one or more statements without parameters (`PQexec`), e.g. a migration.
    /// The statements run in one implicit transaction unless the script has its own BEGIN/COMMIT.
    public func execute(_ sql: String) throws(PGError) {
        try exclusive("execute") { () throws(PGError) -> Void in
            let handle = try liveHandle()
            _ = try checked(PQexec(handle, sql), handle: handle, query: sql)
        }
    }

    // MARK: - Transactions

    /// Runs `body` in a transaction: BEGIN, then COMMIT when it returns or ROLLBACK when it throws.
    ///
    /// Nested calls use a SAVEPOINT. If a statement failed inside `body` but `body` swallowed the error,
    /// the server turns COMMIT into ROLLBACK; this throws ``PGError/Code/queryFailed`` (SQLSTATE 25P02) then.
    @discardableResult
    public func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        if isInTransaction {
            savepointCounter += 1
            let name = "sealpress_savepoint_\(savepointCounter)"
            try execute("SAVEPOINT \(name)")
            do {
                let value = try body(self)
                try execute("RELEASE SAVEPOINT \(name)")
                return value
            } catch {
                if isHealthy { try? execute("ROLLBACK TO SAVEPOINT \(name)") }
                throw error
            }
        }
        try execute("BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            if isHealthy { try? execute("ROLLBACK") }
            throw error
        }
        let commit = try query("COMMIT")
        if commit.commandTag == "ROLLBACK" {
            throw PGError(
                .queryFailed, "the transaction was rolled back because a statement in it failed", sqlState: "25P02")
        }
        return value
    }

    // MARK: - Helpers

    /// Runs `body` as this thread's exclusive use of the connection. Another thread using the connection at
    /// the same time is a programming error that would corrupt libpq's state, so it stops the process.
    func exclusive<R>(_ operation: StaticString, _ body: () throws(PGError) -> R) throws(PGError) -> R {
        guard usage.try() else {
            preconditionFailure("PGConnection.\(operation) called while another thread uses the connection (libpq connections are not thread-safe)")
        }
        defer { usage.unlock() }
        return try body()
    }

    /// Encodes `parameters` in binary into one buffer and passes libpq's parallel arrays to `body`.
    static func withBinaryParameters<R>(
        _ parameters: [PGValue],
        _ body: (Int32, [UInt32], [UnsafePointer<CChar>?], [Int32], [Int32]) -> R
    ) throws(PGError) -> R {
        guard parameters.count <= Int(UInt16.max) else {
            throw PGError(.invalidArgument, "too many parameters (\(parameters.count), at most 65535)")
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(parameters.reduce(1) { $0 + $1.estimatedBinarySize })
        var offsets: [Int] = []
        var lengths: [Int32] = []
        let types: [UInt32] = parameters.map(\.typeOID)
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
        buffer.append(0)  // never empty, so even zero-length values get a non-null pointer
        let formats = [Int32](repeating: 1, count: parameters.count)
        return buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!)
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset < 0 ? nil : (base + offset).assumingMemoryBound(to: CChar.self)
            }
            return body(Int32(parameters.count), types, values, lengths, formats)
        }
    }

    /// Quotes `identifier` as a SQL identifier (`"name"`, inner quotes doubled).
    public static func quoteIdentifier(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    func liveHandle() throws(PGError) -> OpaquePointer {
        guard let handle else { throw PGError(.connectionLost, "the connection is closed") }
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PGError(.connectionLost, "the connection is broken (\(Self.errorMessage(handle))); reset() reconnects")
        }
        return handle
    }

    /// Wraps a `PGresult` or throws the error it (or the connection) reports.
    func checked(_ result: OpaquePointer?, handle: OpaquePointer, query: String) throws(PGError) -> PGResult {
        guard let result else {
            let code: PGError.Code = PQstatus(handle) == CONNECTION_OK ? .queryFailed : .connectionLost
            throw PGError(code, Self.errorMessage(handle), query: query)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE, PGRES_PIPELINE_SYNC:
            return PGResult(storage: PGResultStorage(takingOwnership: result))
        default:
            let error = Self.error(from: result, handle: handle, query: query)
            PQclear(result)
            throw error
        }
    }

    static func error(from result: OpaquePointer, handle: OpaquePointer, query: String?) -> PGError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let sqlState = field("C")
        var message = field("M") ?? ""
        if message.isEmpty {
            message = PQresultErrorMessage(result).map { String(cString: $0) }?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        }
        if message.isEmpty { message = errorMessage(handle) }
        let detail = [field("D"), field("H").map { "hint: \($0)" }].compactMap { $0 }.joined(separator: "; ")
        let lost = PQstatus(handle) != CONNECTION_OK
        return PGError(
            lost ? .connectionLost : .queryFailed, message, sqlState: sqlState,
            detail: detail.isEmpty ? nil : detail, query: query, constraintName: field("n"))
    }

    static func errorMessage(_ handle: OpaquePointer) -> String {
        let message = PQerrorMessage(handle).map { String(cString: $0) } ?? ""
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "unknown libpq error" : trimmed
    }

    func recordListen(_ channel: String) {
        if !listenedChannels.contains(channel) { listenedChannels.append(channel) }
    }

    func recordUnlisten(_ channel: String) {
        listenedChannels.removeAll { $0 == channel }
    }
}
