import Foundation
import Logging
import Postgres
import SealQueue
import Synchronization

/// What a running handler may use: cancellation, its logger, and its input document.
///
/// `@unchecked Sendable`: the cancellation flag lives in a `Mutex`; ``database`` is set by the worker before the
/// handler runs and not changed after; the rest is immutable.
public final class JobContext: @unchecked Sendable {
    /// The worker process's id (`sealpress.workers.id`, the job's `locked_by`).
    public let workerID: UUID
    /// The worker's human name.
    public let workerName: String
    /// A logger with the job id in its metadata.
    public let logger: Logger
    private let cancelled = Mutex<CancelReason?>(nil)

    /// Why a context was cancelled.
    enum CancelReason: Sendable { case requested, timedOut, shutdown }
    private let documentLoader: @Sendable (Int64) throws -> StoredDocument?
    private let bytesLoader: @Sendable (Int64, Int) throws -> DocumentBytes?

    init(workerID: UUID, workerName: String, logger: Logger,
         documentLoader: @escaping @Sendable (Int64) throws -> StoredDocument?,
         bytesLoader: (@Sendable (Int64, Int) throws -> DocumentBytes?)? = nil) {
        self.workerID = workerID
        self.workerName = workerName
        self.logger = logger
        self.documentLoader = documentLoader
        self.bytesLoader = bytesLoader ?? { id, spare in try documentLoader(id).map { DocumentBytes($0, spareCapacity: spare) } }
    }

    /// True once the job was cancelled (`sealpress cancel`), ran past the worker's job timeout, or the worker's
    /// shutdown grace period ran out: stop early (a cancelled or released job's result is rejected anyway).
    public var isCancelled: Bool { cancelled.withLock { $0 != nil } }

    /// True when the cancellation came from the worker's per-job timeout.
    public var timedOut: Bool { cancelled.withLock { $0 == .timedOut } }

    /// Throws ``JobCancelled`` when ``isCancelled``.
    public func checkCancellation() throws {
        if isCancelled { throw JobCancelled() }
    }

    func cancel(_ reason: CancelReason = .requested) { cancelled.withLock { if $0 == nil { $0 = reason } } }

    /// The job's input document: the copy its claim read, or (another id) one loaded on a pooled connection.
    public func document(id: Int64) throws -> StoredDocument? { try documentLoader(id) }

    /// The job's input document as one byte array with `spareCapacity` bytes of room after it (for an update
    /// appended in place): the claim's copy for a small document, read in pieces on a pooled connection for a large
    /// one (``JobQueue/inlineDocumentBytes``). The worker keeps no other reference to it, so a handler holding the
    /// only one can append without copying.
    public func documentBytes(id: Int64, spareCapacity: Int = 0) throws -> DocumentBytes? { try bytesLoader(id, spareCapacity) }

    /// Runs short reads (e.g. the seal registry's pre-flight) on a pooled connection, held only for `body`.
    /// Never hold a transaction open across a job's work; results are written by the fenced completion.
    public func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        guard let database else { throw JobFailure(.database, "this worker gives handlers no database connection") }
        var result: Result<T, any Error>?
        try database { connection in result = Result { try body(connection) } }
        return try result!.get()
    }

    /// Set by the worker: lends a pooled connection to a closure.
    var database: (@Sendable (_ body: (PGConnection) throws -> Void) throws -> Void)?
}

