import Foundation
import Logging
import Postgres
import SealQueue

/// The slots: run a claimed job's handler on a serial Dispatch queue with no connection held, and turn its
/// outcome into a completion or a coded failure for the fetcher to write.
extension Worker {
    func start(_ job: ClaimedJob) {
        var jobLogger = logger
        jobLogger[metadataKey: "job"] = "\(job.id)"
        let documents = self.documents
        let prefetched = job.document
        let context = JobContext(workerID: id, workerName: registration.name, logger: jobLogger, documentLoader: { documentID in
            // The claim statement read the job's own document (when small); anything else is loaded on a pooled connection.
            if let prefetched, prefetched.id == documentID { return prefetched }
            return try documents.with { connection in try JobQueue(connection: connection).document(id: documentID) }
        }, bytesLoader: { documentID, spare in
            if let prefetched, prefetched.id == documentID { return DocumentBytes(prefetched, spareCapacity: spare) }
            return try documents.with { connection in
                try JobQueue(connection: connection).documentBytes(id: documentID, spareCapacity: spare)
            }
        })
        context.database = { body in try documents.with(body) }
        let slot = shared.withLock { s -> Int in
            s.running[job.id] = (job, context)
            if s.earlyCancels.remove(job.id) != nil { context.cancel() }
            return s.freeSlots.popLast() ?? 0
        }
        if let timeout = options.jobTimeoutSeconds {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak context] in
                context?.cancel(.timedOut)
            }
        }
        slots[slot].async { [self] in
            let started = DispatchTime.now().uptimeNanoseconds
            events.jobStarted?(job, started &- job.claimedAtUptimeNanoseconds)
            var result: Result<JobOutcome, any Error>
            if let handler = handlers.handler(for: job.kind) {
                result = Result { try handler.run(job, context: context) }.mapError { error in
                    guard context.timedOut else { return error }
                    return JobFailure(.timeout, "timed out after \(options.jobTimeoutSeconds ?? 0) s (worker --job-timeout)")
                }
            } else {
                result = .failure(JobFailure(
                    .unknownKind, "no handler for kind \"\(job.kind)\" in worker \(registration.name) "
                        + "(it runs: \(handlers.kinds.joined(separator: ", ")))"))
            }
            if let finished = events.jobFinished {
                let error: (any Error)? = if case .failure(let e) = result { e } else { nil }
                finished(job, DispatchTime.now().uptimeNanoseconds &- started, error)
            }
            // An output that starts with the whole input (a PDF's incremental update) is stored as what follows it;
            // compared here, outside the lock.
            if case .success(let outcome) = result, outcome.inputLength != nil, options.storeWholeOutputs {
                result = Result { try wholeOutput(outcome, job: job) }
            }
            let completion: JobCompletion? = if case .success(let outcome) = result {
                if let inputLength = outcome.inputLength, let appended = outcome.output {
                    JobCompletion.appended(
                        jobID: job.id, attempt: job.attempt, appended: appended, inputLength: inputLength,
                        reportJSON: outcome.reportJSON, fencedStatements: outcome.fencedStatements,
                        outputSHA256: outcome.outputSHA256)
                } else {
                    JobCompletion(
                        jobID: job.id, attempt: job.attempt, output: outcome.output, reportJSON: outcome.reportJSON,
                        fencedStatements: outcome.fencedStatements
                    ).extending(input: options.storeWholeOutputs ? nil : job.document?.content)
                }
            } else { nil }
            let wakeFetcher = shared.withLock { s -> Bool in
                s.running[job.id] = nil
                s.freeSlots.append(slot)
                guard !s.dropResults else { return false }
                if s.completions.isEmpty && s.failures.isEmpty { s.oldestResult = DispatchTime.now().uptimeNanoseconds }
                switch result {
                case .success:
                    if let completion { s.completions.append(completion) }
                case .failure(let error):
                    s.failures.append(failureRecord(job, error))
                }
                s.finishedSinceCheck += 1
                // Wake the fetcher only when it may act: the first result (it starts the coalescing clock) or
                // nothing left running. Fewer wake-ups matter on a busy machine.
                return s.completions.count + s.failures.count == 1 || s.running.isEmpty
            }
            if wakeFetcher { wake.signal() }
        }
    }

    /// `worker --whole-outputs`: an outcome appended to its input becomes the whole output again (the input read back).
    private func wholeOutput(_ outcome: JobOutcome, job: ClaimedJob) throws -> JobOutcome {
        guard let inputLength = outcome.inputLength, let appended = outcome.output, let documentID = job.documentID,
            let input = try documents.with({ try JobQueue(connection: $0).documentBytes(id: documentID, spareCapacity: appended.count) }),
            input.bytes.count == inputLength
        else { throw JobFailure(.missingDocument, "the input document this output extends is gone") }
        var bytes = input.bytes
        bytes.append(contentsOf: appended)
        // No hash is sent with a whole output: the server hashes it (migration 8 takes the worker's only for extensions).
        return JobOutcome(output: Data(bytes), reportJSON: outcome.reportJSON, fencedStatements: outcome.fencedStatements)
    }

    /// The failure a handler's error stands for: its own ``JobFailure``, or a code for what it threw otherwise.
    static func failure(from error: any Error) -> JobFailure {
        switch error {
        case let failure as JobFailure: failure
        case is JobCancelled: JobFailure(.cancelled, "cancelled while running")
        case let error as PGError: JobFailure(.database, "database error: \(error.description)")
        case let error as QueueError: JobFailure(.database, error.reason)
        default: JobFailure(.unexpected, String(describing: error))
        }
    }

    func failureRecord(_ job: ClaimedJob, _ error: any Error) -> JobFailureRecord {
        let failure = Self.failure(from: error)
        let decision = FailureDecision.decide(
            failure.code, attempt: job.attempt, maxAttempts: job.maxAttempts,
            retryAfterSeconds: failure.retryAfterSeconds, policy: options.retryPolicy)
        switch decision {
        case .discard:
            return JobFailureRecord(jobID: job.id, attempt: job.attempt, code: failure.code, reason: failure.reason,
                                    discard: true)
        case .retry(let delay):
            return JobFailureRecord(jobID: job.id, attempt: job.attempt, code: failure.code, reason: failure.reason,
                                    retryDelaySeconds: delay)
        }
    }
}
