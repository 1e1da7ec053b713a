/// Finds the signature fields of a document (latest revision): AcroForm fields with /FT /Sig and a /V.
struct SignatureFieldLocator {
    struct Field {
        var name: String
        /// The signature dictionary's object (nil when /V is a direct dictionary).
        var signatureRef: PDFReference?
        /// The field's object (holds the signature dictionary when /V is direct).
        var fieldRef: PDFReference?
        /// The field dictionary (for /Lock).
        var fieldDictionary: PDFDictionary?
        var signature: PDFDictionary
    }

    static func signatureFields(_ document: PDFDocument) -> [Field] {
        let view = RevisionView(document: document, revision: document.revisions.count - 1)
        guard let root = document.trailer["Root"], let catalog = view.dictionary(root),
            let form = view.dictionary(catalog["AcroForm"])
        else { return [] }
        var result: [Field] = []
        var visited = Set<PDFReference>()
        var stack: [(PDFObject, String, PDFName?, Int)] = view.array(form["Fields"]).reversed().map { ($0, "", nil, 0) }
        while let (object, parent, inherited, depth) = stack.popLast() {
            guard depth < 32, result.count < 10_000 else { continue }
            if let ref = object.referenceValue, !visited.insert(ref).inserted { continue }
            guard let field = view.dictionary(object) else { continue }
            let partial = field["T"]?.stringValue?.text
            let name = partial.map { parent.isEmpty ? $0 : parent + "." + $0 } ?? parent
            let type = field["FT"]?.nameValue ?? inherited
            if type == "Sig", let value = field["V"], let signature = view.dictionary(value) {
                result.append(
                    Field(
                        name: name.isEmpty ? "(unnamed)" : name, signatureRef: value.referenceValue,
                        fieldRef: object.referenceValue, fieldDictionary: field, signature: signature))
            }
            for kid in view.array(field["Kids"]).reversed() { stack.append((kid, name, type, depth + 1)) }
        }
        return result
    }
}
