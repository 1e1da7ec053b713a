import Foundation
import SealQueue
import SealReport
import SealWorker

/// A job's input document with its detected format.
struct PipelineJobInput {
    var bytes: [UInt8]
    var format: DocumentFormat
    var name: String?

    static func load(_ job: ClaimedJob, context: JobContext) throws -> PipelineJobInput {
        guard let documentID = job.documentID else {
            throw JobFailure(.missingDocument, "the job has no input document")
        }
        guard let document = try context.document(id: documentID) else {
            throw JobFailure(.missingDocument, "input document \(documentID) is gone")
        }
        let bytes = Array(document.content)
        guard let format = DocumentFormat.detect(bytes) else {
            throw JobFailure(.malformedInput, "the input is neither a PDF nor an OFD document")
        }
        return PipelineJobInput(bytes: bytes, format: format, name: document.name)
    }
}
