/// The interactive form of a document as the stamper sees it: where fields live, which names are taken,
/// whether signatures exist, whether a certification locks it, and how to add one more signature field.
struct SignatureFormState {
    let document: PDFDocument
    let catalogRef: PDFReference
    var catalog: PDFDictionary
    /// The /AcroForm dictionary (resolved), and its object when indirect.
    var acroForm: PDFDictionary?
    var acroFormRef: PDFReference?
    /// The /Fields array (resolved), and its object when indirect.
    var fields: [PDFObject]
    var fieldsRef: PDFReference?
    var fieldNames: Set<String> = []
    var hasSignatures = false
    var lockedByCertification = false
    /// The certification's DocMDP P, when the document is certified.
    var certification: Int?

    init(document: PDFDocument) throws {
        self.document = document
        guard let root = document.trailer["Root"]?.referenceValue else {
            throw PDFStampError(.unreadableDocument, "the trailer's /Root is not an indirect catalog")
        }
        catalogRef = root
        guard let catalog = try document.resolve(.reference(root)).dictionaryValue else {
            throw PDFStampError(.unreadableDocument, "the catalog is not a dictionary")
        }
        self.catalog = catalog
        switch catalog["AcroForm"] {
        case .reference(let ref)?:
            acroFormRef = ref
            acroForm = try document.resolve(.reference(ref)).dictionaryValue
        case .dictionary(let dictionary)?:
            acroForm = dictionary
        default:
            acroForm = nil
        }
        fields = []
        switch acroForm?["Fields"] {
        case .reference(let ref)?:
            fieldsRef = ref
            fields = try document.resolve(.reference(ref)).arrayValue ?? []
        case .array(let items)?:
            fields = items
        default:
            break
        }
        var visited = Set<PDFReference>()
        for field in fields { try visit(field, inheritedType: nil, depth: 0, visited: &visited) }
        certification = try Self.docMDPPermission(catalog: catalog, document: document)
        lockedByCertification = certification == 1
    }

    private mutating func visit(
        _ object: PDFObject, inheritedType: PDFName?, depth: Int, visited: inout Set<PDFReference>
    ) throws {
        guard depth < 32 else { return }
        if let ref = object.referenceValue {
            guard visited.insert(ref).inserted else { return }
        }
        guard let field = try document.resolve(object).dictionaryValue else { return }
        let type = field["FT"]?.nameValue ?? inheritedType
        if depth == 0, let name = field["T"]?.stringValue { fieldNames.insert(name.text) }
        if type == "Sig", let value = field["V"], !(try document.resolve(value).isNull) { hasSignatures = true }
        for kid in field["Kids"]?.arrayValue ?? [] {
            try visit(kid, inheritedType: type, depth: depth + 1, visited: &visited)
        }
    }

    /// The P value of the certification signature's DocMDP transform (nil without one).
    static func docMDPPermission(catalog: PDFDictionary, document: PDFDocument) throws -> Int? {
        guard let perms = try document.resolveDictionary(catalog["Perms"]),
            let signature = try document.resolveDictionary(perms["DocMDP"])
        else { return nil }
        for reference in try document.resolve(signature["Reference"] ?? .null).arrayValue ?? [] {
            guard let sigRef = try document.resolveDictionary(reference),
                sigRef["TransformMethod"]?.nameValue == "DocMDP"
            else { continue }
            let params = try document.resolveDictionary(sigRef["TransformParams"])
            return params?["P"]?.integerValue ?? 2
        }
        return 2
    }

    /// The requested name if free, else the first free `SealN`.
    func chooseFieldName(_ requested: String?) throws -> String {
        if let requested {
            guard !requested.isEmpty, !requested.contains(".") else {
                throw PDFStampError(.fieldExists, "a field name must be non-empty and contain no period")
            }
            guard !fieldNames.contains(requested) else {
                throw PDFStampError(.fieldExists, "a field named \(requested) already exists")
            }
            return requested
        }
        var number = 1
        while fieldNames.contains("Seal\(number)") { number += 1 }
        return "Seal\(number)"
    }

    /// Adds the widget to the page's /Annots (replacing the array object, or the page when it is direct).
    func addWidget(_ widget: PDFReference, to page: PDFPage, update: inout PDFIncrementalUpdate) throws {
        switch page.dictionary["Annots"] {
        case .reference(let ref)?:
            let existing = try document.resolve(.reference(ref)).arrayValue ?? []
            update.replace(ref, with: .array(existing + [.reference(widget)]))
        case .array(let items)?:
            var dictionary = page.dictionary
            dictionary["Annots"] = .array(items + [.reference(widget)])
            update.replace(page.ref, with: .dictionary(dictionary))
        default:
            var dictionary = page.dictionary
            dictionary["Annots"] = .array([.reference(widget)])
            update.replace(page.ref, with: .dictionary(dictionary))
        }
    }

    /// Adds the field to /AcroForm /Fields, sets /SigFlags 3, and registers a certification in /Perms.
    func addField(_ field: PDFReference, certification: PDFReference?, update: inout PDFIncrementalUpdate) throws {
        var form = acroForm ?? PDFDictionary()
        var catalogChanged = false
        var formChanged = false
        if let fieldsRef {
            update.replace(fieldsRef, with: .array(fields + [.reference(field)]))
        } else {
            form["Fields"] = .array(fields + [.reference(field)])
            formChanged = true
        }
        if form["SigFlags"]?.integerValue != 3 {
            form["SigFlags"] = .integer(3)
            formChanged = true
        }
        var newCatalog = catalog
        if formChanged {
            if let acroFormRef {
                update.replace(acroFormRef, with: .dictionary(form))
            } else if acroForm != nil {
                newCatalog["AcroForm"] = .dictionary(form)
                catalogChanged = true
            } else {
                newCatalog["AcroForm"] = .reference(update.add(.dictionary(form)))
                catalogChanged = true
            }
        }
        if let certification {
            var perms = (try document.resolveDictionary(catalog["Perms"])) ?? PDFDictionary()
            perms["DocMDP"] = .reference(certification)
            newCatalog["Perms"] = .dictionary(perms)
            catalogChanged = true
        }
        if catalogChanged { update.replace(catalogRef, with: .dictionary(newCatalog)) }
    }
}
