/// Object access as one revision saw the file.
struct RevisionView {
    let document: PDFDocument
    let revision: Int

    func object(_ ref: PDFReference) -> PDFObject? {
        (try? document.object(ref, asOfRevision: revision)) ?? nil
    }

    /// Follows references (a few hops) and returns the direct object; streams are returned as streams.
    func resolveKeepingStreams(_ object: PDFObject) -> PDFObject? {
        var current = object
        var hops = 0
        while case .reference(let ref) = current {
            hops += 1
            guard hops < 16, let next = self.object(ref) else { return nil }
            current = next
        }
        return current
    }

    func resolve(_ object: PDFObject) -> PDFObject { resolveKeepingStreams(object) ?? .null }

    func dictionary(_ object: PDFObject?) -> PDFDictionary? {
        guard let object else { return nil }
        return resolveKeepingStreams(object)?.dictionaryValue
    }

    func array(_ object: PDFObject?) -> [PDFObject] {
        guard let object else { return [] }
        return resolveKeepingStreams(object)?.arrayValue ?? []
    }
}
