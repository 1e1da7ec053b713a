import Foundation
import SealQueue

/// What a successful job produced; written to `sealpress.outputs` in the same statement that completes the job.
public struct JobOutcome: Sendable, Hashable {
    /// Output bytes (a signed PDF/OFD), or nil.
    public var output: Data?
    /// A JSON report (must be valid JSON), or nil.
    public var reportJSON: String?
    /// Statements written with the completion, in its transaction, only if the fence holds (usage-log rows).
    public var fencedStatements: [FencedStatement]
    /// Set when ``output`` holds only what follows the job's whole input document, which has this many bytes (a
    /// handler that appended its update to the input in place, as a PDF signature is): the stored output is the input
    /// followed by ``output``. Nil: ``output`` is the whole output (the worker still stores it as an extension when it
    /// starts with the claimed input).
    public var inputLength: Int?
    /// The SHA-256 of the whole output (for an ``appended(_:toInputOfLength:reportJSON:fencedStatements:outputSHA256:)``
    /// outcome: of the input followed by ``output``), when the handler computed it anyway; the queue stores it instead
    /// of reading the input back to hash it (``JobCompletion/outputSHA256``). Nil: the server hashes the output.
    public var outputSHA256: [UInt8]?

    public init(output: Data? = nil, reportJSON: String? = nil, fencedStatements: [FencedStatement] = []) {
        self.output = output
        self.reportJSON = reportJSON
        self.fencedStatements = fencedStatements
        self.inputLength = nil
        self.outputSHA256 = nil
    }

    /// An outcome whose output is the job's input document (`inputLength` bytes) followed by `appended`;
    /// `outputSHA256` is the SHA-256 of that whole output when the handler has it.
    public static func appended(
        _ appended: Data, toInputOfLength inputLength: Int, reportJSON: String? = nil,
        fencedStatements: [FencedStatement] = [], outputSHA256: [UInt8]? = nil
    ) -> JobOutcome {
        var outcome = JobOutcome(output: appended, reportJSON: reportJSON, fencedStatements: fencedStatements)
        outcome.inputLength = inputLength
        outcome.outputSHA256 = outputSHA256
        return outcome
    }

    /// Nothing to store.
    public static let done = JobOutcome()
}
