import Foundation
import SealQueue
import SealReport
import SealWorker

/// A job's input document with its detected format.
struct PipelineJobInput {
    var bytes: [UInt8]
    var format: DocumentFormat
    var name: String?
    /// SHA-256 of the bytes, as the queue computed it at enqueue.
    var sha256: [UInt8]

    /// Room read with the input for the updates a stamp appends in place (address space only: pages never written
    /// are not resident).
    static let spareCapacity = 16 << 20

    static func load(_ job: ClaimedJob, context: JobContext, spareCapacity: Int = 0) throws -> PipelineJobInput {
        guard let documentID = job.documentID else {
            throw JobFailure(.missingDocument, "the job has no input document")
        }
        guard let document = try context.documentBytes(id: documentID, spareCapacity: spareCapacity) else {
            throw JobFailure(.missingDocument, "input document \(documentID) is gone")
        }
        guard let format = DocumentFormat.detect(document.bytes) else {
            throw JobFailure(.malformedInput, "the input is neither a PDF nor an OFD document")
        }
        return PipelineJobInput(bytes: document.bytes, format: format, name: document.name, sha256: document.sha256)
    }
}
