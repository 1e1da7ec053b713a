/// A FieldMDP lock (ISO 32000-2 §12.8.2.4, §12.7.5.5 /Lock): which form fields a signature forbids changing.
struct FieldLock: Equatable {
    enum Action: Equatable {
        case all
        case include(Set<String>)
        case exclude(Set<String>)
    }

    var action: Action

    /// Reads a lock from a TransformParams or /Lock dictionary; nil when it is not one.
    init?(_ dictionary: PDFDictionary?, view: RevisionView) {
        guard let dictionary, let action = dictionary["Action"]?.nameValue?.string else { return nil }
        let names = Set(view.array(dictionary["Fields"]).compactMap { view.resolve($0).stringValue?.text })
        switch action {
        case "All": self.action = .all
        case "Include": self.action = .include(names)
        case "Exclude": self.action = .exclude(names)
        default: return nil
        }
    }

    /// The lock a signature declares: a FieldMDP transform in its /Reference, else the field's /Lock.
    static func of(signature: PDFDictionary, field: PDFDictionary?, view: RevisionView) -> FieldLock? {
        for item in view.array(signature["Reference"]) {
            guard let reference = view.dictionary(item), reference["TransformMethod"]?.nameValue == "FieldMDP" else {
                continue
            }
            if let lock = FieldLock(view.dictionary(reference["TransformParams"]), view: view) { return lock }
        }
        return FieldLock(view.dictionary(field?["Lock"]), view: view)
    }

    /// True when the fully qualified field `name` (or one of its ancestors) is locked.
    func locks(_ name: String) -> Bool {
        func matches(_ names: Set<String>) -> Bool {
            names.contains { name == $0 || name.hasPrefix($0 + ".") }
        }
        switch action {
        case .all: return true
        case .include(let names): return matches(names)
        case .exclude(let names): return !matches(names)
        }
    }
}
