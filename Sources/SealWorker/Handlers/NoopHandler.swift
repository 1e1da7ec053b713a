import Foundation
import SealQueue

/// The `noop` kind, for queue tests and benchmarks. Arguments (all optional):
/// - `sleep_ms`: sleep this long (in 5 ms slices, stopping early when cancelled);
/// - `fail_times`: fail attempts 1 … n, then succeed;
/// - `fail_permanently`: fail every attempt;
/// - `fail_code`: the ``JobErrorCode`` of those failures (default `unexpected` for `fail_times`, `malformedInput`
///   for `fail_permanently`); the worker's ``FailureDecision`` then retries or discards by that code;
/// - `retry_after_ms`: the delay requested on failure (overrides the backoff);
/// - `output`: text stored as the output bytes; `report`: any JSON stored as the report;
/// - `echo_document`: store the job's input document as the output (exercises the document path).
public struct NoopHandler: JobHandler {
    public init() {}

    public var kind: String { "noop" }
    public var summary: String {
        "does nothing; args may ask it to sleep (sleep_ms) or fail (fail_times) for tests and benchmarks"
    }

    public func run(_ job: ClaimedJob, context: JobContext) throws -> JobOutcome {
        if job.argsJSON == "{}" { return .done }
        let args = job.args
        if let sleep = Self.int(args["sleep_ms"]), sleep > 0 {
            let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(sleep) * 1_000_000
            while true {
                let now = DispatchTime.now().uptimeNanoseconds  // read once: a second read may pass the deadline
                guard now < deadline else { break }
                try context.checkCancellation()
                usleep(useconds_t(min((deadline - now) / 1000, 5_000)))
            }
        }
        let retryAfter = Self.int(args["retry_after_ms"]).map { Double($0) / 1000 }
        let failCode = (args["fail_code"] as? String).flatMap(JobErrorCode.init(rawValue:))
        if (args["fail_permanently"] as? Bool) == true {
            throw JobFailure(failCode ?? .malformedInput, "noop asked to fail permanently", retryAfterSeconds: retryAfter)
        }
        if let failTimes = Self.int(args["fail_times"]), job.attempt <= failTimes {
            throw JobFailure(failCode ?? .unexpected, "noop asked to fail (attempt \(job.attempt) of the first \(failTimes))",
                             retryAfterSeconds: retryAfter)
        }
        var outcome = JobOutcome()
        if let text = args["output"] as? String { outcome.output = Data(text.utf8) }
        if (args["echo_document"] as? Bool) == true {
            guard let id = job.documentID, let document = try context.document(id: id) else {
                throw JobFailure(.missingDocument, "echo_document: the job has no input document")
            }
            outcome.output = document.content
        }
        if let report = args["report"],
            let data = try? JSONSerialization.data(withJSONObject: report, options: [.fragmentsAllowed, .sortedKeys])
        {
            outcome.reportJSON = String(decoding: data, as: UTF8.self)
        }
        return outcome
    }

    private static func int(_ value: Any?) -> Int? {
        if let value = value as? Int { return value }
        if let value = value as? Double { return Int(value) }
        if let value = value as? NSNumber { return value.intValue }
        return nil
    }
}
