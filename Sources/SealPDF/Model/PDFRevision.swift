/// One cross-reference section of a file: the original save or one incremental update.
public struct PDFRevision: Hashable, Sendable {
    /// How the section's cross-reference is stored.
    public enum Kind: Hashable, Sendable {
        /// A classic `xref` table with a `trailer` dictionary.
        case table
        /// A cross-reference stream (PDF 1.5).
        case stream
        /// A classic table whose trailer points to an additional stream through `/XRefStm`.
        case hybrid
        /// No usable cross-reference: rebuilt by scanning the file (``PDFDocument/wasRepaired``).
        case reconstructed
    }

    /// Byte offset of the section (the value `startxref` gives for it).
    public var xrefOffset: Int
    /// The byte after the `%%EOF` line that ends this revision (end of file when missing).
    public var endOffset: Int
    /// The trailer dictionary (for a stream: the stream's dictionary).
    public var trailer: PDFDictionary
    /// How the cross-reference is stored.
    public var kind: Kind
    /// The objects this revision defines (or frees), by object number.
    public var entries: [Int: PDFXRefEntry]

    /// The object numbers this revision defines as in use, sorted.
    public var objectNumbers: [Int] {
        entries.compactMap { key, value in
            if case .free = value { return nil }
            return key
        }.sorted()
    }

    /// Creates a revision.
    public init(xrefOffset: Int, endOffset: Int, trailer: PDFDictionary, kind: Kind, entries: [Int: PDFXRefEntry]) {
        self.xrefOffset = xrefOffset
        self.endOffset = endOffset
        self.trailer = trailer
        self.kind = kind
        self.entries = entries
    }
}
