import SealQueue
import Testing

@Suite struct JobLifecycleTests {
    @Test func happyPathRunsAvailableRunningCompleted() {
        #expect(JobLifecycle.next(after: .available, on: .claim, attempt: 1, maxAttempts: 3) == .running)
        #expect(JobLifecycle.next(after: .running, on: .complete, attempt: 1, maxAttempts: 3) == .completed)
    }

    @Test func failuresRetryUntilAttemptsAreExhaustedThenDiscard() {
        let retry = JobLifecycle.Event.fail(retryable: true, delaySeconds: 2)
        #expect(JobLifecycle.next(after: .running, on: retry, attempt: 1, maxAttempts: 3) == .retryable)
        #expect(JobLifecycle.next(after: .running, on: retry, attempt: 2, maxAttempts: 3) == .retryable)
        #expect(JobLifecycle.next(after: .running, on: retry, attempt: 3, maxAttempts: 3) == .discarded)
        #expect(JobLifecycle.next(after: .running, on: .fail(retryable: false, delaySeconds: 0), attempt: 1,
                                  maxAttempts: 3) == .discarded)
        #expect(JobLifecycle.next(after: .running, on: .fail(retryable: true, delaySeconds: 0), attempt: 1,
                                  maxAttempts: 3) == .available)
        #expect(JobLifecycle.next(after: .retryable, on: .promote, attempt: 1, maxAttempts: 3) == .available)
    }

    @Test func finishedJobsAcceptNoEventSoStaleResultsAreRejected() {
        let events: [JobLifecycle.Event] = [
            .promote, .claim, .complete, .fail(retryable: true, delaySeconds: 1), .rescue, .release, .cancel,
        ]
        for state in JobState.allCases where state.isFinal {
            for event in events {
                #expect(JobLifecycle.next(after: state, on: event, attempt: 1, maxAttempts: 5) == nil,
                        "\(state) must not accept \(event)")
            }
        }
        // Only a running job can be completed: a rescued (retryable) job's old worker is fenced out.
        #expect(JobLifecycle.next(after: .retryable, on: .complete, attempt: 1, maxAttempts: 5) == nil)
        #expect(JobLifecycle.next(after: .available, on: .complete, attempt: 1, maxAttempts: 5) == nil)
    }

    @Test func rescueAndReleaseAndCancel() {
        #expect(JobLifecycle.next(after: .running, on: .rescue, attempt: 1, maxAttempts: 2) == .retryable)
        #expect(JobLifecycle.next(after: .running, on: .rescue, attempt: 2, maxAttempts: 2) == .discarded)
        #expect(JobLifecycle.next(after: .running, on: .release, attempt: 1, maxAttempts: 2) == .available)
        for state in [JobState.available, .scheduled, .retryable, .running] {
            #expect(JobLifecycle.next(after: state, on: .cancel, attempt: 0, maxAttempts: 2) == .cancelled)
        }
        #expect(JobLifecycle.next(after: .scheduled, on: .claim, attempt: 0, maxAttempts: 2) == nil)
    }
}

@Suite struct RetryPolicyTests {
    @Test func delaysDoubleAndAreCapped() {
        let policy = RetryPolicy(baseSeconds: 2, maximumSeconds: 60, jitter: 0.25)
        #expect(policy.nominalDelaySeconds(afterAttempt: 1) == 2)
        #expect(policy.nominalDelaySeconds(afterAttempt: 2) == 4)
        #expect(policy.nominalDelaySeconds(afterAttempt: 5) == 32)
        #expect(policy.nominalDelaySeconds(afterAttempt: 6) == 60)
        #expect(policy.nominalDelaySeconds(afterAttempt: 500) == 60)
    }

    @Test func jitterStaysWithinBounds() {
        let policy = RetryPolicy(baseSeconds: 10, maximumSeconds: 100, jitter: 0.25)
        #expect(policy.delaySeconds(afterAttempt: 1, unit: 0) == 7.5)
        #expect(policy.delaySeconds(afterAttempt: 1, unit: 0.5) == 10)
        #expect(abs(policy.delaySeconds(afterAttempt: 1, unit: 0.999_999) - 12.5) < 0.001)
        let samples = (0..<200).map { _ in policy.delaySeconds(afterAttempt: 2) }
        #expect(samples.allSatisfy { $0 >= 15 && $0 <= 25 })
        #expect(Set(samples).count > 100, "jitter must spread retries")
    }
}

@Suite struct InputValidationTests {
    @Test func durationsParse() {
        #expect(DurationText.seconds("250ms") == 0.25)
        #expect(DurationText.seconds("30s") == 30)
        #expect(DurationText.seconds("5m") == 300)
        #expect(DurationText.seconds("24h") == 86_400)
        #expect(DurationText.seconds("7d") == 604_800)
        #expect(DurationText.seconds("1.5") == 1.5)
        #expect(DurationText.seconds("-1s") == nil)
        #expect(DurationText.seconds("soon") == nil)
    }

    @Test func jobArgumentsMustBeAJSONObject() {
        #expect(throws: QueueError(.invalidArguments, "")) { try NewJob.validateArguments("{\"a\": ") }
        #expect(throws: QueueError(.invalidArguments, "")) { try NewJob.validateArguments("[1, 2]") }
        #expect(throws: QueueError(.invalidArguments, "")) { try NewJob.validateArguments("42") }
        #expect(throws: Never.self) { try NewJob.validateArguments("{\"sleep_ms\": 10}") }
        #expect(throws: QueueError(.invalidArguments, "")) {
            try NewJob(kind: "noop", maxAttempts: 0).validate()
        }
        #expect(throws: QueueError(.invalidArguments, "")) {
            try NewJob(kind: "noop", idempotencyKey: "").validate()
        }
    }
}
