public import SealQueue

/// What the worker does with a failed attempt, decided from the failure's code alone: retry after a delay, or
/// discard now. A pure function, unit-tested per code (SealWorkerTests).
public enum FailureDecision: Sendable, Hashable {
    /// Run the job again after this many seconds (0: available at once).
    case retry(afterSeconds: Double)
    /// Give up: the job becomes `discarded`.
    case discard

    /// True for codes no retry can fix: the input, the arguments or the registry must change first.
    public static func isPermanent(_ code: JobErrorCode) -> Bool {
        switch code {
        case .invalidArguments, .missingDocument, .malformedInput, .sealRefused, .keyNotInSeal, .keywordNotFound,
            .encryptedNeedsPassword, .wrongPassword, .placementRefused, .verificationFailed, .documentTooLarge,
            .tooManyPages:
            true
        case .database, .timeout, .cancelled, .unknownKind, .workerLost, .released, .unexpected, .unknownPipeline,
            .keyUnavailable, .signingFailed, .tsaUnavailable:
            false
        }
    }

    /// The decision for an attempt that failed with `code`.
    ///
    /// - Parameters:
    ///   - code: the failure's code.
    ///   - attempt: the attempt that failed (1-based).
    ///   - maxAttempts: the job's `max_attempts`; the last attempt is never retried.
    ///   - retryAfterSeconds: the handler's requested delay, overriding the policy's backoff.
    ///   - policy: the worker's backoff.
    ///   - unit: a random number in 0 ..< 1 for the policy's jitter (injected for tests).
    public static func decide(
        _ code: JobErrorCode, attempt: Int, maxAttempts: Int, retryAfterSeconds: Double? = nil,
        policy: RetryPolicy = .standard, unit: Double = Double.random(in: 0..<1)
    ) -> FailureDecision {
        if isPermanent(code) || attempt >= maxAttempts { return .discard }
        return .retry(afterSeconds: max(0, retryAfterSeconds ?? policy.delaySeconds(afterAttempt: attempt, unit: unit)))
    }
}
