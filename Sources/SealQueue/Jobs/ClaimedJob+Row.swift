import Foundation
import Postgres

extension ClaimedJob {
    /// Reads a claimed job from a row of a claim (or complete-and-claim) statement, by the column names of
    /// ``QueueSQL/claimedColumns`` (never by position).
    init(row: PGRow, claimedAt: UInt64) throws {
        let documentID = try row.optionalInt("document_id").map(Int64.init)
        var document: StoredDocument?
        if let documentID, let content = try row.optionalBytes("document") {
            document = StoredDocument(
                id: documentID, name: try row.optionalString("document_name"),
                contentType: try row.string("document_type"), sha256: try row.bytes("document_sha256"),
                content: Data(content))
        }
        self.init(
            id: Int64(try row.int("id")), kind: try row.string("kind"), queue: try row.string("queue"),
            argsJSON: try row.string("args"), priority: try row.int("priority"), attempt: try row.int("attempt"),
            maxAttempts: try row.int("max_attempts"), batchID: try row.optionalInt("batch_id").map(Int64.init),
            documentID: documentID, createdAt: try row.double("created"), claimedAtUptimeNanoseconds: claimedAt,
            document: document, documentSize: try row.optionalInt("document_size"))
    }
}
