import Foundation

/// A finished run to record: the job, the fencing token it was claimed with, and what it produced.
public struct JobCompletion: Sendable, Hashable {
    public var jobID: Int64
    public var attempt: Int
    /// Output bytes (a signed document), stored in `sealpress.outputs.bytes`.
    public var output: Data?
    /// A JSON report (verification report, stamping summary), stored in `sealpress.outputs.report`.
    public var reportJSON: String?
    /// Statements run in the completion's transaction only when the fence holds (e.g. usage-log rows).
    public var fencedStatements: [FencedStatement]
    /// When the output starts with the job's whole input document (a PDF signed by incremental update): the input's
    /// length. Only the bytes after it are sent and stored (`outputs.extends_input`, queue migration 6); readers get
    /// the whole output from `sealpress.output_bytes(job_id)`. 0: the whole output is stored. Set it with
    /// ``extending(input:)``, which compares the bytes.
    public var inputPrefixLength: Int
    /// True when ``output`` already holds only the bytes after the input (``appended(jobID:attempt:appended:inputLength:reportJSON:fencedStatements:)``):
    /// a handler that wrote its update after the input in place never had a second copy of the whole output to hand over.
    public var outputFollowsInput: Bool
    /// The SHA-256 of the whole output (the input's bytes included for an extension), when the worker computed it
    /// anyway: sent with the completion, so the server stores it without reading the input back (queue migration 8;
    /// it still checks the input's length, and hashes a whole output itself, refusing a hash that differs). Nil:
    /// the server computes it.
    public var outputSHA256: [UInt8]?

    public init(jobID: Int64, attempt: Int, output: Data? = nil, reportJSON: String? = nil,
                fencedStatements: [FencedStatement] = []) {
        self.jobID = jobID
        self.attempt = attempt
        self.output = output
        self.reportJSON = reportJSON
        self.fencedStatements = fencedStatements
        self.inputPrefixLength = 0
        self.outputFollowsInput = false
        self.outputSHA256 = nil
    }

    /// A completion whose output is the job's whole input document (`inputLength` bytes) followed by `appended`;
    /// only `appended` is sent and stored. The server refuses it (SP003) unless the input has exactly that length.
    /// `outputSHA256`: the whole output's SHA-256 when the caller has it (see ``outputSHA256``).
    public static func appended(
        jobID: Int64, attempt: Int, appended: Data, inputLength: Int, reportJSON: String? = nil,
        fencedStatements: [FencedStatement] = [], outputSHA256: [UInt8]? = nil
    ) -> JobCompletion {
        var completion = JobCompletion(
            jobID: jobID, attempt: attempt, output: appended, reportJSON: reportJSON, fencedStatements: fencedStatements)
        completion.inputPrefixLength = inputLength
        completion.outputFollowsInput = true
        completion.outputSHA256 = outputSHA256
        return completion
    }

    /// This completion, stored as an extension of `input` (the job's input document as claimed) when its output
    /// starts with all of `input`'s bytes; unchanged otherwise.
    public func extending(input: Data?) -> JobCompletion {
        guard !outputFollowsInput, let input, let output, !input.isEmpty, output.count >= input.count else { return self }
        let same = output.withUnsafeBytes { out in
            input.withUnsafeBytes { inp in memcmp(out.baseAddress!, inp.baseAddress!, inp.count) == 0 }
        }
        guard same else { return self }
        var completion = self
        completion.inputPrefixLength = input.count
        return completion
    }
}

/// A failed run to record: the code and reason the handler gave, and the worker's decision (retry after a delay,
/// or discard now). The queue stores the code in `last_error_code` and in the `errors` entry; it never reads the
/// reason.
public struct JobFailureRecord: Sendable, Hashable {
    public var jobID: Int64
    public var attempt: Int
    public var code: JobErrorCode
    /// A one-line reason, kept in the job's `errors` array (no document content, no secrets).
    public var reason: String
    /// True discards the job now, whatever attempts remain.
    public var discard: Bool
    /// Delay before the next attempt (ignored when discarding; the job is also discarded when attempts run out).
    public var retryDelaySeconds: Double

    public init(jobID: Int64, attempt: Int, code: JobErrorCode, reason: String, discard: Bool = false,
                retryDelaySeconds: Double = 0) {
        self.jobID = jobID
        self.attempt = attempt
        self.code = code
        self.reason = reason
        self.discard = discard
        self.retryDelaySeconds = retryDelaySeconds
    }
}
