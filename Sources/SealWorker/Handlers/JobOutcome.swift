import Foundation

/// What a successful job produced; written to `sealpress.outputs` in the same statement that completes the job.
public struct JobOutcome: Sendable, Hashable {
    /// Output bytes (a signed PDF/OFD), or nil.
    public var output: Data?
    /// A JSON report (must be valid JSON), or nil.
    public var reportJSON: String?

    public init(output: Data? = nil, reportJSON: String? = nil) {
        self.output = output
        self.reportJSON = reportJSON
    }

    /// Nothing to store.
    public static let done = JobOutcome()
}
