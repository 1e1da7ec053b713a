import Foundation

/// An input document as stored by `sealpress.enqueue(document => …)`.
public struct StoredDocument: Sendable, Hashable {
    public var id: Int64
    public var name: String?
    public var contentType: String
    public var sha256: [UInt8]
    public var content: Data

    public init(id: Int64, name: String?, contentType: String, sha256: [UInt8], content: Data) {
        self.id = id
        self.name = name
        self.contentType = contentType
        self.sha256 = sha256
        self.content = content
    }
}
