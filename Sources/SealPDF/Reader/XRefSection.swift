/// One parsed cross-reference section before it is placed in the revision list.
struct XRefSection {
    var offset: Int
    var kind: PDFRevision.Kind
    var trailer: PDFDictionary
    var entries: [Int: PDFXRefEntry]
    /// For a cross-reference stream: its own object header (some writers list it at a wrong offset).
    var streamObject: (ref: PDFReference, offset: Int)? = nil
}
