import Foundation
import Postgres

/// What one fetch cycle wrote and claimed.
public struct ResultsWritten: Sendable {
    /// Completions the fence accepted (the others lost their claim and wrote nothing).
    public var completed: Set<Int64>
    /// The new state of each failure the fence accepted.
    public var failed: [Int64: JobState]
    /// Jobs claimed for this worker in the same cycle.
    public var claimed: [ClaimedJob]
}

extension JobQueue {
    /// THE way results are written — the worker's fetch cycle: records failures and completions (fenced on
    /// (id, attempt, worker, state = running)), claims up to `claimLimit` more jobs and folds the batch counters,
    /// in as few round trips as the fence allows.
    ///
    /// - Without fenced statements: ONE round trip, one transaction (a pipeline of fail, complete-and-claim, fold).
    /// - With fenced statements (usage-log rows): TWO round trips, one transaction — first BEGIN, fail,
    ///   complete-and-claim (which returns the accepted ids); then the fenced statements of the accepted jobs only
    ///   (one-row INSERTs into one table merged into one statement, ``FencedStatement/merged(_:)``), the fold and
    ///   COMMIT. Locks that serialise writers (the usage-log chain, the batch rows) are taken in the
    ///   second round trip, right before COMMIT, so no network wait happens while they are held.
    /// - Inside a caller's transaction: the same statements, without BEGIN/COMMIT (the caller commits).
    ///
    /// All or nothing: on any error nothing is written and the error is thrown (the caller keeps its results and
    /// tries again; the fence makes a second write of an accepted result impossible).
    ///
    /// - Returns: the completions the fence accepted, the new state of each accepted failure, the claimed jobs.
    public func writeResults(
        completions: [JobCompletion] = [], failures: [JobFailureRecord] = [], worker: UUID, claimLimit: Int = 0,
        queues: [String]? = nil
    ) throws -> ResultsWritten {
        let fenced = completions.contains { !$0.fencedStatements.isEmpty }
        let ownTransaction = fenced && !connection.isInTransaction
        var first: [PGStatement] = []
        if ownTransaction { first.append(PGStatement("BEGIN")) }
        let failIndex = failures.isEmpty ? nil : first.count
        if !failures.isEmpty {
            first.append(PGStatement(QueueSQL.fail, Self.failParameters(failures, worker: worker), prepared: true))
        }
        let cycleIndex = first.count
        let cycle = Self.cycleStatement(completions, worker: worker, claimLimit: claimLimit, queues: queues)
        if let cycle { first.append(cycle.statement) }
        if !fenced { first.append(PGStatement(Self.foldSQL, prepared: true)) }

        do {
            let results = try connection.pipeline(first)
            let failed = try failIndex.map { try Self.failedStates(results[$0]) } ?? [:]
            var written = ResultsWritten(completed: [], failed: failed, claimed: [])
            if let cycle { try cycle.read(results[cycleIndex], &written) }
            guard fenced else { return written }

            // The accepted completions' statements in order; one-row INSERTs into the same table (usage-log rows)
            // merged into one multi-row INSERT.
            let fencedStatements = FencedStatement.merged(
                completions.filter { written.completed.contains($0.jobID) }.flatMap(\.fencedStatements))
            var second = fencedStatements.map { PGStatement($0.sql, $0.parameters, prepared: true) }
            second.append(PGStatement(Self.foldSQL, prepared: true))
            if ownTransaction { second.append(PGStatement("COMMIT")) }
            let committed = try connection.pipeline(second)
            if ownTransaction, committed.last?.commandTag != "COMMIT" {
                throw PGError(.queryFailed, "the results transaction was rolled back", sqlState: "25P02")
            }
            return written
        } catch {
            if ownTransaction, connection.isHealthy, connection.isInTransaction { try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// Adds committed batch-counter deltas to their batches (marking finished ones); returns the batches changed.
    /// Workers fold after each write of results, the leader on every tick; safe to call from anywhere, any time.
    @discardableResult
    public func foldBatchDeltas() throws -> Int {
        try connection.preparedQuery(Self.foldSQL)[0].int(0)
    }

    static let foldSQL = "SELECT sealpress.fold_batch_deltas()"

    /// The completion and/or claim statement of a cycle (prepared), and how to read its rows.
    static func cycleStatement(
        _ completions: [JobCompletion], worker: UUID, claimLimit: Int, queues: [String]?
    ) -> (statement: PGStatement, read: (PGResult, inout ResultsWritten) throws -> Void)? {
        if completions.isEmpty {
            guard claimLimit > 0 else { return nil }
            let (sql, queueParameter) = claimStatement(queues)
            var parameters: [PGValue] = [.int(claimLimit), .uuid(worker)]
            if let queueParameter { parameters.append(queueParameter) }
            return (PGStatement(sql, parameters, prepared: true), { result, written in
                let now = DispatchTime.now().uptimeNanoseconds
                written.claimed = try result.map { try ClaimedJob(row: $0, claimedAt: now) }
            })
        }
        var parameters = completionParameters(completions, worker: worker)
        guard claimLimit > 0 else {
            return (PGStatement(QueueSQL.complete, parameters, prepared: true), { result, written in
                written.completed = Set(try result.map { Int64(try $0.int(0)) })
            })
        }
        let sql: String
        switch queues {
        case .some(let names) where names.count == 1:
            sql = completeAndClaimOne
            parameters += [.int(claimLimit), .text(names[0])]
        case .some(let names) where names.count > 1:
            sql = completeAndClaimSeveral
            parameters += [.int(claimLimit), .textArray(names)]
        default:
            sql = completeAndClaimAny
            parameters.append(.int(claimLimit))
        }
        return (PGStatement(sql, parameters, prepared: true), { result, written in
            let now = DispatchTime.now().uptimeNanoseconds
            for row in result {
                if try row.bool("completion") {
                    written.completed.insert(Int64(try row.int("id")))
                } else {
                    written.claimed.append(try ClaimedJob(row: row, claimedAt: now))
                }
            }
        })
    }
}
