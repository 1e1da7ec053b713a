/// A PDF name object (`/Type`), stored as its raw bytes after `#xx` decoding.
public struct PDFName: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The name's bytes without the leading slash, `#xx` escapes decoded.
    public var bytes: [UInt8]

    /// Creates a name from decoded bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Creates a name from a Swift string (UTF-8).
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    public init(stringLiteral value: String) { self.bytes = Array(value.utf8) }

    /// The name as text (UTF-8, invalid sequences repaired).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { "/" + string }
}

extension PDFName {
    static let type: PDFName = "Type"
    static let subtype: PDFName = "Subtype"
    static let length: PDFName = "Length"
    static let filter: PDFName = "Filter"
    static let decodeParms: PDFName = "DecodeParms"
    static let root: PDFName = "Root"
    static let info: PDFName = "Info"
    static let id: PDFName = "ID"
    static let encrypt: PDFName = "Encrypt"
    static let size: PDFName = "Size"
    static let prev: PDFName = "Prev"
    static let xrefStm: PDFName = "XRefStm"
}
