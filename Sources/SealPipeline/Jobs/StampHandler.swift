import Foundation
import Logging
import Postgres
import SealCrypto
import SealOFD
import SealPDF
import SealQueue
public import SealWorker
import SealObservability
import SealReport

/// The `stamp` job kind: args ``StampJobArguments`` (`{"pipeline": "business-licence", "principal": "licence-office"}`),
/// input document in `sealpress.documents`.
///
/// Order of work: load the document and detect its format; pre-flight (seal state, validity at the signing time,
/// the principal's grant) BEFORE any key is loaded; then the signer (cached per seal), the stamp per the pipeline,
/// verification when the pipeline asks; the outcome carries the signed document, the report, and one usage-log
/// row per signature, written by the fenced completion in one transaction. Every failure is a ``JobFailure`` with a
/// ``JobErrorCode`` (a pre-flight refusal is `sealRefused`, its own code first in the reason) and signs nothing.
public struct StampHandler: JobHandler {
    public let configuration: PipelineJobConfiguration
    private let cache = SealMaterialCache()
    private let stampers = PDFStamperCache()

    public init(configuration: PipelineJobConfiguration) {
        self.configuration = configuration
    }

    public var kind: String { "stamp" }
    public var summary: String { "stamps a PDF or OFD document with a registered seal through a pipeline" }

    public func run(_ job: ClaimedJob, context: JobContext) throws -> JobOutcome {
        let args: StampJobArguments
        do {
            args = try StampJobArguments(json: job.argsJSON)
        } catch {
            throw JobFailure(.invalidArguments, error.reason)
        }
        let principal = args.principal
        guard let pipeline = configuration.pipelines[args.pipeline] else {
            // Retried: a worker started with the right --pipelines directory may take it.
            throw JobFailure(
                .unknownPipeline, "'\(args.pipeline)' (this worker has: "
                    + configuration.pipelines.keys.sorted().joined(separator: ", ") + ")", retryAfterSeconds: 30)
        }
        var input = try PipelineJobInput.load(job, context: context, spareCapacity: PipelineJobInput.spareCapacity)
        // Limits that protect the workers (memory, signing time): checked before pre-flight, so an oversized input
        // never reaches the registry or a key. Pages are counted by the engine right after it opens the document.
        if let maximum = pipeline.maxDocumentBytes, input.bytes.count > maximum {
            throw JobFailure(
                .documentTooLarge, "the document has \(input.bytes.count) bytes; pipeline '\(pipeline.name)' accepts at "
                    + "most \(maximum) (max_document_bytes): split it or use a pipeline with a higher limit")
        }
        // The password of an encrypted input, by reference: read here, never stored or logged. A reference that
        // cannot be resolved counts as no password (an encrypted input then fails with encryptedNeedsPassword).
        var password: String?
        var passwordProblem: String?
        let passwordRef = args.passwordRef.flatMap(PasswordReference.init) ?? pipeline.passwordRef
        if input.format == .pdf, let reference = passwordRef {
            do {
                password = try reference.resolve(environment: configuration.environment)
            } catch {
                passwordProblem = error.reason
            }
        }

        // Pre-flight, before any key is touched, at the database's clock (the registry's; a worker's own clock may
        // be off). Signing times have one-second resolution (as PDF /M and OFD's SignatureDateTime), which lets
        // slots share prepared stampers within a second.
        let (sealRecord, grants, signingTime) = try context.withConnection { connection in
            try SealRegistry().preflightData(seal: pipeline.seal, principal: principal, on: connection)
        }
        let seal: SealRecord
        switch Preflight.check(
            seal: sealRecord, sealName: pipeline.seal, grants: grants, principal: principal, pipeline: pipeline.name,
            at: signingTime)
        {
        case .failure(let refusal): throw JobFailure(.sealRefused, refusal.description)
        case .success(let accepted): seal = accepted
        }
        try context.checkCancellation()

        let signer: any Signer
        do {
            signer = try cache.signer(for: seal, environment: configuration.environment)
        } catch {
            if error.code == .keyNotInCertificate { throw JobFailure(.keyNotInSeal, "seal '\(seal.name)': \(error.reason)") }
            if error.code == .refused { throw JobFailure(.sealRefused, "seal '\(seal.name)': \(error.reason)") }
            throw JobFailure(.keyUnavailable, "seal '\(seal.name)': \(error.reason)", retryAfterSeconds: 30)
        }
        let material: SealMaterialCache.SealMaterial
        do {
            material = try cache.material(for: seal) {
                try context.withConnection { try SealRegistry().esl(named: seal.name, on: $0) }
            }
        } catch let error as JobFailure {
            throw error
        } catch let error as PGError {
            throw JobFailure(.database, "reading seal '\(seal.name)': \(error.description)")
        } catch {
            throw JobFailure(.sealRefused, "seal '\(seal.name)': \(error)")
        }

        var engine = StampEngine(
            pipeline: pipeline, signer: signer, seal: material, signingTime: signingTime, stamperCache: stampers)
        engine.password = password
        // The output grows in the input's own array: `output` is its only reference (a PDF update is appended without
        // a copy). The input is kept apart only where it is read again after stamping: an OFD (rewritten, not
        // extended) and allow_repair (the input is parsed again for the report).
        let inputLength = input.bytes.count
        var output = input.bytes
        input.bytes = []
        let original: [UInt8]? = input.format == .ofd || pipeline.allowRepair ? output : nil
        let stamped: (signatures: [StampEngine.Signature], extendsInput: Bool)
        do {
            stamped = try engine.stamp(inPlace: &output, format: input.format)
        } catch {
            var failure = StampFailure.failure(error)
            if failure.code == .encryptedNeedsPassword {
                failure = JobFailure(.encryptedNeedsPassword, failure.reason + (passwordProblem.map { "; \($0)" } ?? (
                    passwordRef == nil ? "; name the password in the pipeline: password_ref: env:NAME or file:PATH" : "")))
            } else if failure.code == .wrongPassword, let reference = passwordRef {
                failure = JobFailure(.wrongPassword, failure.reason + "; check the password behind password_ref \(reference)")
            }
            throw failure
        }
        try context.checkCancellation()

        var reportJSON: String?
        var outputSHA256: String?  // the verifier hashes the output anyway
        if pipeline.verifyAfterSigning {
            var report = DocumentVerification.verify(
                output, format: input.format, trust: configuration.trust, password: password,
                revocation: pipeline.revocation)
            // allow_repair: the report says when the input needed it (only then is the input parsed again).
            if pipeline.allowRepair, input.format == .pdf, let original,
                let repaired = PDFRepairPolicy.repaired(original, password: password)
            {
                report.append(PDFRepairPolicy.check(for: repaired))
            }
            // Countersigning: the input already carried signatures (found by their ids in the input); the new
            // ones are judged fully, the earlier ones per the pipeline's earlier_signatures.
            var added = Set(report.signatures.indices)
            if report.signatures.count > stamped.signatures.count {
                let earlier = DocumentVerification.verify(
                    original ?? Array(output[..<inputLength]), format: input.format, trust: nil, password: password)
                added = DocumentVerification.addedSignatures(
                    report, inputIDs: earlier.signatures.map(\.id), count: stamped.signatures.count)
                report.append(DocumentVerification.earlierSignaturesCheck(
                    count: report.signatures.count - added.count, policy: pipeline.earlierSignatures))
            }
            if let problem = DocumentVerification.problem(
                report, added: added, expectedSignatures: stamped.signatures.count,
                trustConfigured: configuration.trust != nil, earlier: pipeline.earlierSignatures)
            {
                throw JobFailure(.verificationFailed, problem)
            }
            reportJSON = String(decoding: try report.jsonData(pretty: false), as: UTF8.self)
            outputSHA256 = report.documentSHA256
        }

        // Every state of the document is hashed once: a signature starts from what the previous one left (the
        // engine chains them), and the last one left the output.
        // The input's hash is the one the queue computed at enqueue.
        // The whole output's hash: from the verification report when there is one, hashed here otherwise.
        let outputHex = stamped.signatures.isEmpty ? nil : outputSHA256 ?? Hex.string(Digest.hash(.sha256, output))
        var states = [Hex.string(input.sha256)]
        for (index, signature) in stamped.signatures.enumerated() {
            let isLast = index == stamped.signatures.count - 1
            states.append(isLast ? outputHex ?? "" : signature.afterSHA256 ?? "")
        }

        let serial = signer.certificate?.serialNumberHex ?? ""
        let statements = stamped.signatures.enumerated().map { index, signature in
            let record = UsageRecord(
                sequence: 0, jobID: job.id, principal: principal, seal: seal.name, esID: seal.esID,
                certificateSerial: serial, format: signature.format,
                documentBefore: states[index], documentAfter: states[index + 1], signedAt: signingTime,
                timestampTokenHash: signature.timestampTokenSHA256, host: configuration.host, previousHash: "")
            // Identify documents by SHA-256 in logs, never by name or content.
            context.logger.info("stamped", metadata: [
                "seal": "\(seal.name)", "principal": "\(principal)", "format": "\(signature.format)",
                "document_sha256": "\(record.documentBefore)", "output_sha256": "\(record.documentAfter)",
            ])
            return UsageLog.insertStatement(record)
        }
        MetricsRegistry.shared.increment(WorkerMetrics.stamps, by: Double(stamped.signatures.count),
                                         labels: [seal.name, input.format.rawValue])
        // A PDF update is handed over as the bytes after the input (the queue stores it so: migration 6).
        // The whole output's SHA-256 (the usage row's document_after) goes with it: the server stores it instead of
        // reading the input back to hash it (queue migration 8).
        if stamped.extendsInput, output.count >= inputLength {
            return .appended(Data(output[inputLength...]), toInputOfLength: inputLength, reportJSON: reportJSON,
                             fencedStatements: statements,
                             outputSHA256: outputHex.flatMap { Hex.bytes($0) })
        }
        return JobOutcome(output: Data(output), reportJSON: reportJSON, fencedStatements: statements)
    }
}
