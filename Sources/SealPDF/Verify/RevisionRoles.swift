/// What each object of one revision is for, as far as the difference analysis cares: the catalog, the form,
/// the page tree, fields and their widgets and appearances, metadata and long-term-validation data.
struct RevisionRoles {
    /// How a form field stands in this revision.
    struct FieldInfo {
        var name: String
        var isSignature: Bool
        /// A signature field that holds a signature (/V), or any field locked by being signed.
        var isSigned: Bool
    }

    var rootRef: PDFReference?
    var catalog = PDFDictionary()
    var acroFormRef: PDFReference?
    var fieldsRef: PDFReference?
    var pageTreeNodes: Set<PDFReference> = []
    var pages: Set<PDFReference> = []
    /// Indirect /Annots arrays and the page that owns them.
    var annotsArrays: [PDFReference: PDFReference] = [:]
    /// Field dictionaries (and merged field/widgets) by reference.
    var fields: [PDFReference: FieldInfo] = [:]
    /// Widgets (separate from their field) and the field they belong to.
    var widgets: [PDFReference: PDFReference] = [:]
    /// Appearance streams (and appearance sub-dictionaries) and the widget or field that uses them.
    var appearances: [PDFReference: PDFReference] = [:]
    var infoRef: PDFReference?
    var metadataRef: PDFReference?
    var dssObjects: Set<PDFReference> = []
    /// The certification signature's DocMDP P, if the document is certified.
    var docMDP: Int?

    init(document: PDFDocument, revision: Int) {
        let view = RevisionView(document: document, revision: revision)
        let trailer = document.revisions[revision].trailer
        rootRef = trailer["Root"]?.referenceValue
        infoRef = trailer["Info"]?.referenceValue
        guard let rootRef, let catalog = view.dictionary(.reference(rootRef)) else { return }
        self.catalog = catalog
        metadataRef = catalog["Metadata"]?.referenceValue
        acroFormRef = catalog["AcroForm"]?.referenceValue
        if let form = view.dictionary(catalog["AcroForm"]) {
            fieldsRef = form["Fields"]?.referenceValue
            var visited = Set<PDFReference>()
            for field in view.array(form["Fields"]) {
                collectField(field, parentName: "", inheritedType: nil, view: view, depth: 0, visited: &visited)
            }
        }
        collectPages(catalog["Pages"], view: view)
        if let dss = catalog["DSS"] { collectDSS(dss, view: view, depth: 0) }
        if let perms = view.dictionary(catalog["Perms"]), let signature = view.dictionary(perms["DocMDP"]) {
            docMDP = 2
            for item in view.array(signature["Reference"]) {
                guard let reference = view.dictionary(item), reference["TransformMethod"]?.nameValue == "DocMDP" else {
                    continue
                }
                docMDP = view.dictionary(reference["TransformParams"])?["P"]?.integerValue ?? 2
            }
        }
    }

    private mutating func collectField(
        _ object: PDFObject, parentName: String, inheritedType: PDFName?, view: RevisionView, depth: Int,
        visited: inout Set<PDFReference>
    ) {
        guard depth < 32, let ref = object.referenceValue, visited.insert(ref).inserted,
            let field = view.dictionary(object)
        else { return }
        let type = field["FT"]?.nameValue ?? inheritedType
        let partial = field["T"]?.stringValue?.text
        let name = partial.map { parentName.isEmpty ? $0 : parentName + "." + $0 } ?? parentName
        let signed = type == "Sig" && !(view.resolve(field["V"] ?? .null).isNull)
        let kids = view.array(field["Kids"])
        if partial != nil || kids.isEmpty || field["Subtype"]?.nameValue == "Widget" {
            fields[ref] = FieldInfo(name: name, isSignature: type == "Sig", isSigned: signed)
        }
        collectAppearances(field["AP"], owner: ref, view: view)
        for kid in kids {
            guard let kidRef = kid.referenceValue, let kidDictionary = view.dictionary(kid) else { continue }
            if kidDictionary["T"] == nil && kidDictionary["Subtype"]?.nameValue == "Widget" {
                widgets[kidRef] = ref
                fields[kidRef] = FieldInfo(name: name, isSignature: type == "Sig", isSigned: signed)
                collectAppearances(kidDictionary["AP"], owner: kidRef, view: view)
            } else {
                collectField(kid, parentName: name, inheritedType: type, view: view, depth: depth + 1, visited: &visited)
            }
        }
    }

    private mutating func collectAppearances(_ object: PDFObject?, owner: PDFReference, view: RevisionView) {
        guard let object else { return }
        if let ref = object.referenceValue { appearances[ref] = owner }
        guard let ap = view.dictionary(object) else { return }
        for key in ["N", "R", "D"] as [PDFName] {
            guard let entry = ap[key] else { continue }
            if let ref = entry.referenceValue { appearances[ref] = owner }
            if case .dictionary(let states)? = view.resolveKeepingStreams(entry) {
                for state in states { if let ref = state.value.referenceValue { appearances[ref] = owner } }
            }
        }
    }

    private mutating func collectPages(_ object: PDFObject?, view: RevisionView) {
        var stack: [(PDFObject, Int)] = object.map { [($0, 0)] } ?? []
        while let (node, depth) = stack.popLast() {
            guard depth < 64, let ref = node.referenceValue, !pageTreeNodes.contains(ref), !pages.contains(ref),
                let dictionary = view.dictionary(node), pageTreeNodes.count + pages.count < 1_000_000
            else { continue }
            if dictionary["Kids"] != nil && dictionary.type != "Page" {
                pageTreeNodes.insert(ref)
                for kid in view.array(dictionary["Kids"]) { stack.append((kid, depth + 1)) }
            } else {
                pages.insert(ref)
                if let annots = dictionary["Annots"]?.referenceValue { annotsArrays[annots] = ref }
            }
        }
    }

    private mutating func collectDSS(_ object: PDFObject, view: RevisionView, depth: Int) {
        guard depth < 6 else { return }
        if let ref = object.referenceValue {
            guard dssObjects.insert(ref).inserted else { return }
        }
        switch view.resolveKeepingStreams(object) {
        case .dictionary(let dictionary)?:
            for entry in dictionary { collectDSS(entry.value, view: view, depth: depth + 1) }
        case .array(let items)?:
            for item in items { collectDSS(item, view: view, depth: depth + 1) }
        default:
            break
        }
    }
}
