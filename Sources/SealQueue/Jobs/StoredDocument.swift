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

/// An input document read as one byte array by ``JobQueue/documentBytes(id:spareCapacity:)``: in pieces, straight
/// into an array with room for what a handler appends (a PDF's incremental update), so a large document is held once.
public struct DocumentBytes: Sendable {
    public var id: Int64
    public var name: String?
    public var contentType: String
    /// SHA-256 of the content, as `sealpress.enqueue` computed it.
    public var sha256: [UInt8]
    public var bytes: [UInt8]

    public init(id: Int64, name: String?, contentType: String, sha256: [UInt8], bytes: [UInt8]) {
        self.id = id
        self.name = name
        self.contentType = contentType
        self.sha256 = sha256
        self.bytes = bytes
    }

    /// A document the claim already read, copied into an array with `spareCapacity` bytes of room after it.
    public init(_ document: StoredDocument, spareCapacity: Int = 0) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(document.content.count + max(0, spareCapacity))
        bytes.append(contentsOf: document.content)
        self.init(id: document.id, name: document.name, contentType: document.contentType, sha256: document.sha256,
                  bytes: bytes)
    }
}
