extension PDFDocument {
    /// The byte after every `%%EOF` line in the file (its EOL included), in file order.
    ///
    /// A verifier compares these with ``revisions``: an `%%EOF` that ends no revision means a section the
    /// `/Prev` chain skips (an update can point `/Prev` past a signed revision to hide it) or bytes after the
    /// last revision.
    public func endOfFileMarkers() -> [Int] {
        let keyword = Array("%%EOF".utf8)
        var ends: [Int] = []
        var position = 0
        while let found = ByteSearch.firstIndex(of: keyword, in: bytes, from: position) {
            var end = found + keyword.count
            if end < bytes.count, bytes[end] == 13 { end += 1 }
            if end < bytes.count, bytes[end] == 10 { end += 1 }
            ends.append(end)
            position = found + keyword.count
        }
        return ends
    }
}
