import SealQueue
import SealWorker
import Testing

/// The retry-or-discard decision, per failure code: no message is read, only the code.
@Suite struct FailureDecisionTests {
    /// Every code with the decision it must get, written out so that adding a code forces a decision here too.
    static let permanent: [JobErrorCode: Bool] = [
        .database: false, .timeout: false, .cancelled: false, .unknownKind: false, .workerLost: false,
        .released: false, .unexpected: false, .invalidArguments: true, .missingDocument: true, .malformedInput: true,
        .unknownPipeline: false, .sealRefused: true, .keyUnavailable: false, .keyNotInSeal: true,
        .keywordNotFound: true, .encryptedNeedsPassword: true, .wrongPassword: true, .placementRefused: true, .signingFailed: false,
        .tsaUnavailable: false, .verificationFailed: true, .documentTooLarge: true, .tooManyPages: true,
    ]

    @Test func everyCodeHasADecision() {
        #expect(Set(Self.permanent.keys) == Set(JobErrorCode.allCases))
    }

    @Test(arguments: JobErrorCode.allCases)
    func decisionFollowsTheCode(_ code: JobErrorCode) throws {
        let permanent = try #require(Self.permanent[code] as Bool?)
        #expect(FailureDecision.isPermanent(code) == permanent)
        let policy = RetryPolicy(baseSeconds: 2, maximumSeconds: 3600, jitter: 0.25)
        let decision = FailureDecision.decide(code, attempt: 2, maxAttempts: 5, policy: policy, unit: 0.5)
        // unit 0.5 is the middle of the jitter: the nominal delay, 2 s × 2^(2−1).
        #expect(decision == (permanent ? .discard : .retry(afterSeconds: 4)), "\(code)")
    }

    @Test(arguments: JobErrorCode.allCases)
    func theLastAttemptIsNeverRetried(_ code: JobErrorCode) {
        #expect(FailureDecision.decide(code, attempt: 3, maxAttempts: 3, unit: 0.5) == .discard)
    }

    @Test func aHandlersDelayOverridesTheBackoffOfTransientCodes() {
        #expect(FailureDecision.decide(.unknownPipeline, attempt: 1, maxAttempts: 5, retryAfterSeconds: 30) == .retry(afterSeconds: 30))
        #expect(FailureDecision.decide(.tsaUnavailable, attempt: 1, maxAttempts: 5, retryAfterSeconds: 0) == .retry(afterSeconds: 0))
        // A permanent code stays discarded whatever delay the handler asks for.
        #expect(FailureDecision.decide(.sealRefused, attempt: 1, maxAttempts: 5, retryAfterSeconds: 30) == .discard)
        #expect(FailureDecision.decide(.keywordNotFound, attempt: 1, maxAttempts: 5, retryAfterSeconds: 30) == .discard)
        #expect(FailureDecision.decide(.encryptedNeedsPassword, attempt: 1, maxAttempts: 5) == .discard)
    }

    @Test func failuresCompareByCodeAndDescribeThemselves() {
        #expect(JobFailure(.database, "a") == JobFailure(.database, "b"))
        #expect(JobFailure(.database, "a") != JobFailure(.timeout, "a"))
        #expect(JobFailure(.keyNotInSeal, "key and certificate differ").description == "keyNotInSeal: key and certificate differ")
    }
}
