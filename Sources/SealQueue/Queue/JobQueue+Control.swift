import Foundation
import Postgres

/// A paused queue or pipeline (`sealpress.pauses`): claims skip its jobs until it is resumed.
public struct QueuePause: Sendable, Hashable, Codable {
    public enum Scope: String, Sendable, Hashable, Codable, CaseIterable {
        /// A queue name (`jobs.queue`).
        case queue
        /// A pipeline name (a stamp job's `args.pipeline`).
        case pipeline
    }

    public var scope: Scope
    public var name: String
    /// Who paused it (an operator account, or a CLI user).
    public var pausedBy: String
    public var pausedAt: Date

    public init(scope: Scope, name: String, pausedBy: String, pausedAt: Date) {
        self.scope = scope
        self.name = name
        self.pausedBy = pausedBy
        self.pausedAt = pausedAt
    }
}

extension JobQueue {
    // MARK: - Operator controls

    /// Pauses a queue or a pipeline: workers stop claiming its jobs (running ones finish). Returns false when it
    /// was already paused.
    @discardableResult
    public func pause(_ scope: QueuePause.Scope, name: String, by actor: String) throws -> Bool {
        guard !name.isEmpty, name.count <= 128 else {
            throw QueueError(.invalidArguments, "a \(scope.rawValue) name has 1 to 128 characters")
        }
        return try mapped {
            try connection.query("""
                INSERT INTO sealpress.pauses (scope, name, paused_by) VALUES ($1, $2, $3)
                ON CONFLICT (scope, name) DO NOTHING RETURNING name
                """, [.text(scope.rawValue), .text(name), .text(actor)])
        }.rowCount == 1
    }

    /// Lifts a pause and wakes the workers of that queue. Returns false when it was not paused.
    @discardableResult
    public func resume(_ scope: QueuePause.Scope, name: String) throws -> Bool {
        let result = try mapped {
            try connection.query(
                "DELETE FROM sealpress.pauses WHERE scope = $1 AND name = $2 RETURNING name",
                [.text(scope.rawValue), .text(name)])
        }
        guard result.rowCount == 1 else { return false }
        // Workers sleep on NOTIFY: wake every queue for a pipeline (its jobs may be on any queue).
        switch scope {
        case .queue: try connection.notify("sealpress_jobs", payload: name)
        case .pipeline:
            for row in try connection.query("SELECT DISTINCT queue FROM sealpress.jobs WHERE state = 'available'") {
                try connection.notify("sealpress_jobs", payload: try row.string(0))
            }
        }
        return true
    }

    /// Every pause, by scope and name.
    public func pauses() throws -> [QueuePause] {
        try mapped {
            try connection.query("SELECT scope, name, paused_by, paused_at FROM sealpress.pauses ORDER BY scope, name")
        }.map { row in
            QueuePause(
                scope: QueuePause.Scope(rawValue: try row.string("scope")) ?? .queue, name: try row.string("name"),
                pausedBy: try row.string("paused_by"), pausedAt: try row.date("paused_at"))
        }
    }

    /// Makes a discarded job available again with one more attempt (`sealpress.retry`). Returns the state the job
    /// was in (only `discarded` is retried), or nil when there is no such job.
    ///
    /// - Throws: ``QueueError/Code/invalidArguments`` when a newer live job holds the same idempotency key.
    @discardableResult
    public func retry(jobID: Int64) throws -> JobState? {
        do {
            let result = try mapped { try connection.query("SELECT sealpress.retry($1)", [.int64(jobID)]) }
            return try result[0].optionalString(0).flatMap(JobState.init(rawValue:))
        } catch let error as PGError {
            guard error.sqlState == "23505" else { throw error }
            throw QueueError(
                .invalidArguments, "job \(jobID) cannot run again: a newer job with its idempotency key is queued")
        }
    }
}
