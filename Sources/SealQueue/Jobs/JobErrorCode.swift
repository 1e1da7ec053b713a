/// Why a job's attempt failed, as a stable code: stored in `sealpress.jobs.last_error_code` and in the `code` of
/// each entry of the job's `errors` history, shown by `sealpress status` and `export`'s `summary.csv`, used as the
/// `reason` label of the failure metric, and read by the worker's retry decision
/// (`FailureDecision` in SealWorker). Nothing ever parses a message to find it.
///
/// A closed set on purpose: every code has a retry decision (an exhaustive `switch`), and metric labels stay
/// bounded. The raw value is what the database holds.
public enum JobErrorCode: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    // MARK: - Queue and worker

    /// The database failed while the handler used it (a pooled read, a lost connection).
    case database
    /// The handler ran past the worker's `--job-timeout`.
    case timeout
    /// The job was cancelled, or the worker shut down, while it ran.
    case cancelled
    /// This worker has no handler for the job's kind (another worker may have one).
    case unknownKind
    /// The claiming worker stopped heartbeating; the rescuer returned the job.
    case workerLost
    /// The worker shut down past its grace period and gave the job back.
    case released
    /// The handler threw an error that carries no code (a bug or an unforeseen condition).
    case unexpected

    // MARK: - Job contract

    /// The job's arguments do not match its kind's contract (missing pipeline or principal, wrong types).
    case invalidArguments
    /// The job has no input document, or it was deleted.
    case missingDocument
    /// The document is neither PDF nor OFD, or is damaged beyond reading.
    case malformedInput
    /// The job names a pipeline this worker does not have (a worker with that pipeline may take it).
    case unknownPipeline
    /// The document is larger than its pipeline's `max_document_bytes` (never retried; nothing was signed).
    case documentTooLarge
    /// The document has more pages than its pipeline's `max_pages` (never retried; nothing was signed).
    case tooManyPages

    // MARK: - Stamping

    /// Pre-flight refused the stamp: seal unknown, suspended, cancelled, outside its validity, or no grant.
    case sealRefused
    /// The seal's signing key cannot be loaded or reached here now (file missing, password variable unset, its
    /// PKCS#11 token or session gone); retried.
    case keyUnavailable
    /// The key does not belong to the seal's certificate, or the seal itself is unusable.
    case keyNotInSeal
    /// A keyword placement found no match in the document.
    case keywordNotFound
    /// The document is encrypted and the pipeline gives no password for it.
    case encryptedNeedsPassword
    /// The document is encrypted and the password the pipeline names does not open it.
    case wrongPassword
    /// The document forbids changes (certified, locked) or the placement does not fit it.
    case placementRefused
    /// Signing itself failed (the signer or HSM returned an error).
    case signingFailed
    /// The time-stamp authority could not be reached or refused the request.
    case tsaUnavailable
    /// The freshly signed output did not verify as the pipeline requires.
    case verificationFailed

    public var description: String { rawValue }
}
