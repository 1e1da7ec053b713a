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
        /// False when the field has a value that is not a readable signature dictionary (an object that does not
        /// parse, e.g. one damaged byte in its /Contents hex string; a reference to no object; a value of another
        /// type): the field is still a signature, one that fails, never one that vanishes from the report.
        var readable = true
    }

    /// What a signature field's /V is.
    private enum Value {
        /// No value (null): an empty field, not a signature.
        case unsigned
        case dictionary(PDFDictionary)
        case unreadable
    }

    private static func value(_ object: PDFObject, in view: RevisionView) -> Value {
        // nil: an object that does not parse, a reference to no object (never written, or freed by a later
        // revision) or a reference chain too long, where a signature dictionary stood.
        guard let resolved = view.resolveKeepingStreams(object) else { return .unreadable }
        if resolved.isNull { return .unsigned }
        if let dictionary = resolved.dictionaryValue { return .dictionary(dictionary) }
        return .unreadable
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
            if type == "Sig", let value = field["V"] {
                let fieldName = name.isEmpty ? "(unnamed)" : name
                switch Self.value(value, in: view) {
                case .unsigned:
                    break
                case .dictionary(let signature):
                    result.append(
                        Field(
                            name: fieldName, signatureRef: value.referenceValue, fieldRef: object.referenceValue,
                            fieldDictionary: field, signature: signature))
                case .unreadable:
                    result.append(
                        Field(
                            name: fieldName, signatureRef: value.referenceValue, fieldRef: object.referenceValue,
                            fieldDictionary: field, signature: PDFDictionary(), readable: false))
                }
            }
            for kid in view.array(field["Kids"]).reversed() { stack.append((kid, name, type, depth + 1)) }
        }
        return result
    }
}
