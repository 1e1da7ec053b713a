/// One parsed cross-reference section before it is placed in the revision list.
struct XRefSection {
    var offset: Int
    var kind: PDFRevision.Kind
    var trailer: PDFDictionary
    var entries: [Int: PDFXRefEntry]
}
