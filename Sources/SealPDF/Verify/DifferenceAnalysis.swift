/// Judges the incremental updates that follow a signed revision, in the spirit of pyHanko's difference
/// analysis: reject by default, allow only what signing workflows legitimately add.
///
/// Allowed: new signature fields with their widgets and appearances (and /Annots, /Fields additions to hold
/// them), filling an empty signature field, /SigFlags, DSS/VRI data and document timestamps, /Info and XMP
/// metadata, and form filling of unsigned fields unless a certification (DocMDP P=1) forbids it.
/// Illegal: any other change to the catalog, page tree, pages, page content or resources, the form's other
/// keys, a signed field or its appearance, deleting or redefining (shadowing) any other object the signed
/// revision uses, new non-signature fields or annotations. Every finding names what changed.
struct DifferenceAnalysis {
    /// What the later revisions did, summarised.
    struct Outcome: Equatable {
        /// Reasons the updates are not allowed; empty when everything is acceptable.
        var illegal: [String] = []
        var addedSignatures = 0
        var addedDocumentTimestamps = 0
        var formFilling = false
        var ltaUpdates = false
        var metadataUpdates = false

        var isAcceptable: Bool { illegal.isEmpty }

        /// A one-line summary of acceptable changes.
        var summary: String {
            var parts: [String] = []
            if addedSignatures > 0 { parts.append("\(addedSignatures) signature(s) added") }
            if addedDocumentTimestamps > 0 { parts.append("\(addedDocumentTimestamps) document timestamp(s)") }
            if formFilling { parts.append("form filling") }
            if ltaUpdates { parts.append("DSS/validation data") }
            if metadataUpdates { parts.append("metadata") }
            return parts.isEmpty ? "no relevant changes" : parts.joined(separator: ", ")
        }
    }

    let document: PDFDocument
    /// The FieldMDP lock of the signature being judged, if it declares one.
    var lock: FieldLock? = nil

    /// Analyses every revision after `signedRevision` (0-based index into ``PDFDocument/revisions``).
    func analyse(after signedRevision: Int) -> Outcome {
        var outcome = Outcome()
        guard signedRevision + 1 < document.revisions.count else { return outcome }
        let certification = RevisionRoles(document: document, revision: signedRevision).docMDP
        for revision in (signedRevision + 1)..<document.revisions.count {
            compare(old: revision - 1, new: revision, docMDP: certification, into: &outcome)
            if outcome.illegal.count > 20 { break }
        }
        return outcome
    }

    private func compare(old: Int, new: Int, docMDP: Int?, into outcome: inout Outcome) {
        let roles = RevisionRoles(document: document, revision: old)
        let newRoles = RevisionRoles(document: document, revision: new)
        let before = RevisionView(document: document, revision: old)
        let after = RevisionView(document: document, revision: new)
        let label = "revision \(new + 1)"
        var trackerStorage: ReferenceTracker?
        func tracker() -> ReferenceTracker {
            if let trackerStorage { return trackerStorage }
            let built = ReferenceTracker(before, trailer: document.revisions[old].trailer)
            trackerStorage = built
            return built
        }
        var findings: [String] = []
        func illegal(_ reason: String) { findings.append("\(label): \(reason)") }
        defer { outcome.illegal += findings }

        // The catalog may be replaced by a new object: judge the dictionaries, not the numbers.
        if newRoles.rootRef != roles.rootRef {
            judgeCatalog(roles.catalog, newRoles.catalog, before: before, after: after, docMDP: docMDP, illegal: illegal, outcome: &outcome)
        }
        let entries = document.revisions[new].entries
        for number in entries.keys.sorted() {
            let entry = entries[number]!
            let generation: Int
            switch entry {
            case .offset(_, let gen): generation = gen
            case .compressed: generation = 0
            case .free(let next): generation = max(0, next - 1)
            }
            let ref = PDFReference(number: number, generation: generation)
            let anyGenerationRef = PDFReference(number: number, generation: 0)
            guard let oldObject = before.object(ref) ?? before.object(anyGenerationRef) else { continue }  // new object
            guard case .free = entry else {
                let newObject = after.object(ref) ?? .null
                if oldObject == newObject { continue }
                judge(
                    ref, old: oldObject, new: newObject, roles: roles, newRoles: newRoles, before: before, after: after,
                    docMDP: docMDP, illegal: illegal, outcome: &outcome, tracker: tracker)
                continue
            }
            if tracker().incoming[number] != nil { illegal("object \(number), used by the signed revision, was deleted") }
        }
        if docMDP == 1 && (outcome.formFilling || outcome.addedSignatures > 0) {
            illegal("the certification signature (DocMDP P=1) allows no form filling or further signatures")
        }
    }

    private func judge(
        _ ref: PDFReference, old: PDFObject, new: PDFObject, roles: RevisionRoles, newRoles: RevisionRoles,
        before: RevisionView, after: RevisionView, docMDP: Int?, illegal: (String) -> Void,
        outcome: inout Outcome, tracker: () -> ReferenceTracker
    ) {
        let number = ref.number
        let rootNumber = roles.rootRef?.number
        /// Every path from the trailer to this object goes through the catalog's `key`.
        func onlyUnderCatalog(_ key: String) -> Bool {
            tracker().isReachedOnly(number) { $0.from == rootNumber && rootNumber != nil && $0.path.first == key }
        }
        /// Used elsewhere too: the permitted role does not cover the change.
        func sharedElsewhere(_ role: String) {
            illegal("object \(number) is \(role) but the signed revision also uses it elsewhere; rewriting it changes that too")
        }
        if ref == roles.rootRef {
            judgeCatalog(roles.catalog, new.dictionaryValue ?? PDFDictionary(), before: before, after: after, docMDP: docMDP, illegal: illegal, outcome: &outcome)
        } else if ref == roles.acroFormRef {
            judgeAcroForm(old.dictionaryValue, new.dictionaryValue, before: before, after: after, docMDP: docMDP, illegal: illegal, outcome: &outcome)
        } else if ref == roles.fieldsRef {
            judgeFieldList(old.arrayValue ?? [], new.arrayValue ?? [], before: before, after: after, docMDP: docMDP, illegal: illegal, outcome: &outcome)
        } else if roles.pageTreeNodes.contains(ref) {
            illegal("the page tree node \(number) was changed")
        } else if roles.pages.contains(ref) {
            judgePage(ref, old.dictionaryValue ?? PDFDictionary(), new.dictionaryValue ?? PDFDictionary(), before: before, after: after, docMDP: docMDP, newRoles: newRoles, illegal: illegal)
        } else if let page = roles.annotsArrays[ref] {
            judgeAnnotations(page: page, old: old.arrayValue ?? [], new: new.arrayValue ?? [], before: before, after: after, docMDP: docMDP, newRoles: newRoles, illegal: illegal)
        } else if let field = roles.fields[ref] {
            let oldField = old.dictionaryValue ?? PDFDictionary()
            let newField = new.dictionaryValue ?? PDFDictionary()
            judgeField(field, old: oldField, new: newField, after: after, illegal: illegal, outcome: &outcome)
            // Replacing /AP is allowed for the field's own appearance; when the old one is also used elsewhere
            // (pyHanko's "sneaky" class), the field was a way to smuggle an update of shared objects.
            if oldField["AP"] != newField["AP"], let oldAP = oldField["AP"] {
                for shared in Self.appearanceObjects(oldAP, before)
                where !tracker().isReachedOnly(shared, through: { $0.from == number && $0.path.first == "AP" }) {
                    illegal("the appearance of \(field.name) was replaced, but its old appearance (object \(shared)) is also used elsewhere")
                    break
                }
            }
        } else if let owner = roles.appearances[ref] {
            let field = roles.fields[owner]
            // An appearance may be rewritten only through its own widget: every way to it passes the owner's /AP.
            let onlyThroughOwner = tracker().isReachedOnly(number) { $0.from == owner.number && $0.path.first == "AP" }
            if field?.isSigned != true, !onlyThroughOwner {
                sharedElsewhere("the appearance of \(field?.name ?? "a field")")
            } else if field?.isSigned == true {
                illegal("the appearance of the signed field \(field!.name) was overridden (object \(number))")
            } else if let field, let lock, lock.locks(field.name) {
                illegal("the appearance of \(field.name), locked by the signature (FieldMDP), was changed")
            } else if field?.isSignature == true {
                // An empty signature field gets its appearance when it is signed.
            } else {
                outcome.formFilling = true
            }
        } else if ref == roles.infoRef {
            if tracker().isReachedOnly(number, through: { $0.from == nil && $0.path == ["Info"] }) {
                outcome.metadataUpdates = true
            } else {
                sharedElsewhere("the document information dictionary")
            }
        } else if ref == roles.metadataRef {
            if onlyUnderCatalog("Metadata") { outcome.metadataUpdates = true } else { sharedElsewhere("the XMP metadata") }
        } else if roles.dssObjects.contains(ref) {
            if onlyUnderCatalog("DSS") { outcome.ltaUpdates = true } else { sharedElsewhere("validation data (DSS)") }
        } else if let extensions = roles.catalog["Extensions"]?.referenceValue, extensions.number == number {
            // The catalog's /Extensions dictionary updated in place (a new extension level), as pyHanko allows.
            if onlyUnderCatalog("Extensions") { outcome.ltaUpdates = true } else { sharedElsewhere("the catalog's /Extensions") }
        } else if tracker().incoming[number] != nil {
            illegal("object \(number), used by the signed revision, was redefined (shadowed)")
        }
    }

    private func judgeCatalog(
        _ old: PDFDictionary, _ new: PDFDictionary, before: RevisionView, after: RevisionView, docMDP: Int?,
        illegal: (String) -> Void, outcome: inout Outcome
    ) {
        let keys = Set(old.keys).union(new.keys)
        for key in keys.sorted(by: { $0.string < $1.string }) where old[key] != new[key] {
            switch key.string {
            case "AcroForm":
                judgeAcroForm(
                    before.dictionary(old[key]), after.dictionary(new[key]), before: before, after: after,
                    docMDP: docMDP, illegal: illegal, outcome: &outcome)
            case "DSS":
                outcome.ltaUpdates = true
            case "Metadata":
                outcome.metadataUpdates = true
            case "Extensions", "Version":
                outcome.ltaUpdates = true
            default:
                illegal("the catalog's /\(key.string) was changed")
            }
        }
    }

    private func judgeAcroForm(
        _ old: PDFDictionary?, _ new: PDFDictionary?, before: RevisionView, after: RevisionView, docMDP: Int?,
        illegal: (String) -> Void, outcome: inout Outcome
    ) {
        let oldForm = old ?? PDFDictionary()
        guard let new else {
            illegal("the interactive form was removed")
            return
        }
        let keys = Set(oldForm.keys).union(new.keys)
        for key in keys.sorted(by: { $0.string < $1.string }) where oldForm[key] != new[key] {
            switch key.string {
            case "Fields":
                if oldForm[key]?.referenceValue != nil && oldForm[key] == new[key] { continue }
                judgeFieldList(
                    before.array(oldForm[key]), after.array(new[key]), before: before, after: after, docMDP: docMDP,
                    illegal: illegal, outcome: &outcome)
            case "SigFlags", "DR", "DA", "NeedAppearances":
                continue
            default:
                illegal("the form's /\(key.string) was changed")
            }
        }
    }

    /// Old fields must stay; new ones must be signature fields.
    private func judgeFieldList(
        _ old: [PDFObject], _ new: [PDFObject], before: RevisionView, after: RevisionView, docMDP: Int?,
        illegal: (String) -> Void, outcome: inout Outcome
    ) {
        let newSet = Set(new)
        for field in old where !newSet.contains(field) {
            illegal("a form field was removed from /Fields")
        }
        let oldSet = Set(old)
        for field in new where !oldSet.contains(field) {
            guard let dictionary = after.dictionary(field), dictionary["FT"]?.nameValue == "Sig" else {
                illegal("a non-signature form field was added")
                continue
            }
            if dictionary["V"] == nil || after.resolve(dictionary["V"]!).isNull {
                // An empty signature field drawn over the page after signing is the "sneaky signature" trick:
                // it can hide or fake content without anyone signing. Empty fields must be invisible.
                let widgets = [dictionary] + after.array(dictionary["Kids"]).compactMap { after.dictionary($0) }
                if widgets.contains(where: { Self.isVisibleWidget($0, after) }) {
                    illegal("an unsigned signature field with a visible appearance was added")
                }
                continue
            }
            if docMDP != nil {
                // As pyHanko: after a certification, new signatures must be invisible (a visible one could
                // paint over the certified content).
                let widgets = [dictionary] + after.array(dictionary["Kids"]).compactMap { after.dictionary($0) }
                if widgets.contains(where: { Self.isVisibleWidget($0, after) }) {
                    illegal("a visible signature field was added to a certified document")
                }
            }
            if let value = after.dictionary(dictionary["V"]), value["Type"]?.nameValue == "DocTimeStamp" {
                outcome.addedDocumentTimestamps += 1
            } else {
                outcome.addedSignatures += 1
            }
        }
    }

    /// The indirect objects an /AP value consists of: the dictionary, its /N /R /D entries and their states.
    static func appearanceObjects(_ ap: PDFObject, _ view: RevisionView) -> [Int] {
        var numbers: [Int] = []
        if let ref = ap.referenceValue { numbers.append(ref.number) }
        guard let dictionary = view.dictionary(ap) else { return numbers }
        for key in ["N", "R", "D"] as [PDFName] {
            guard let entry = dictionary[key] else { continue }
            if let ref = entry.referenceValue { numbers.append(ref.number) }
            if case .dictionary(let states)? = view.resolveKeepingStreams(entry) {
                for state in states { if let ref = state.value.referenceValue { numbers.append(ref.number) } }
            }
        }
        return numbers
    }

    /// A widget with an area on the page and an appearance to draw there.
    static func isVisibleWidget(_ widget: PDFDictionary, _ view: RevisionView) -> Bool {
        guard widget["AP"] != nil, let rect = PDFRect(view.resolve(widget["Rect"] ?? .null)) else { return false }
        return rect.widthPoints > 0.5 && rect.heightPoints > 0.5
    }

    private func judgePage(
        _ ref: PDFReference, _ old: PDFDictionary, _ new: PDFDictionary, before: RevisionView, after: RevisionView,
        docMDP: Int?, newRoles: RevisionRoles, illegal: (String) -> Void
    ) {
        let keys = Set(old.keys).union(new.keys)
        for key in keys.sorted(by: { $0.string < $1.string }) where old[key] != new[key] {
            if key == "Annots" {
                judgeAnnotations(
                    page: ref, old: before.array(old[key]), new: after.array(new[key]), before: before, after: after,
                    docMDP: docMDP, newRoles: newRoles, illegal: illegal)
            } else {
                illegal("page object \(ref.number): /\(key.string) was changed")
            }
        }
    }

    /// Old annotations must stay; new ones must be signature widgets (or any annotation under DocMDP P=3).
    private func judgeAnnotations(
        page: PDFReference, old: [PDFObject], new: [PDFObject], before: RevisionView, after: RevisionView,
        docMDP: Int?, newRoles: RevisionRoles, illegal: (String) -> Void
    ) {
        let newSet = Set(new)
        for annotation in old where !newSet.contains(annotation) {
            illegal("an annotation was removed from page object \(page.number)")
        }
        let oldSet = Set(old)
        for annotation in new where !oldSet.contains(annotation) {
            guard let dictionary = after.dictionary(annotation) else { continue }
            let isWidget = dictionary["Subtype"]?.nameValue == "Widget"
            var type = dictionary["FT"]?.nameValue
            if type == nil, let parent = after.dictionary(dictionary["Parent"]) { type = parent["FT"]?.nameValue }
            // A widget listed in a signature field's /Kids without a /Parent (riding seals: one field, a widget per page).
            if type == nil, let ref = annotation.referenceValue, newRoles.fields[ref]?.isSignature == true { type = "Sig" }
            if isWidget && type == "Sig" { continue }
            if docMDP == 3 && !isWidget { continue }
            let subtype = dictionary["Subtype"]?.nameValue?.string ?? "unknown"
            illegal("a /\(subtype) annotation was added to page object \(page.number)")
        }
    }

    private func judgeField(
        _ field: RevisionRoles.FieldInfo, old: PDFDictionary, new: PDFDictionary, after: RevisionView,
        illegal: (String) -> Void, outcome: inout Outcome
    ) {
        if field.isSigned {
            illegal("the signed field \(field.name) was modified")
            return
        }
        if let lock, lock.locks(field.name) {
            illegal("the field \(field.name) is locked by the signature (FieldMDP) but was changed")
            return
        }
        let allowed: Set<PDFName> = field.isSignature ? ["V", "AP", "AS", "F", "Lock", "SV"] : ["V", "AP", "AS"]
        let keys = Set(old.keys).union(new.keys)
        for key in keys where old[key] != new[key] && !allowed.contains(key) {
            illegal("the field \(field.name): /\(key.string) was changed")
        }
        if field.isSignature {
            if old["V"] == nil && new["V"] != nil {
                if let value = after.dictionary(new["V"]), value["Type"]?.nameValue == "DocTimeStamp" {
                    outcome.addedDocumentTimestamps += 1
                } else {
                    outcome.addedSignatures += 1
                }
            }
        } else {
            outcome.formFilling = true
        }
    }
}
