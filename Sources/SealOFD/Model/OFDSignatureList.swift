/// `Signatures.xml`: the list of a document's signatures (GB/T 33190 §18.2).
public struct OFDSignatureList: Sendable, Hashable {
    /// One `<Signature>` entry.
    public struct Entry: Sendable, Hashable {
        public var id: String
        /// `Seal` (the default) or `Sign`.
        public var type: String
        /// `BaseLoc` as written.
        public var baseLocation: String
        /// Every attribute as written, so that rewriting the list keeps what other producers put there.
        public var attributes: [String]
        public var attributeValues: [String]
    }

    /// Package path of this Signatures.xml.
    public var path: String
    public var maxSignID: String?
    public var entries: [Entry]

    public init(path: String, root: XMLElement) {
        self.path = path
        maxSignID = root.childText("MaxSignId") ?? root.childText("MaxSignID")
        entries = root.children("Signature").map { element in
            Entry(
                id: element.attribute("ID") ?? "",
                type: element.attribute("Type").map { $0.trimmingXMLWhitespace() } ?? "Seal",
                baseLocation: element.attribute("BaseLoc") ?? "",
                attributes: element.attributes.map { XMLElement.local($0.name) },
                attributeValues: element.attributes.map(\.value))
        }
    }

    public init(path: String, maxSignID: String?, entries: [Entry]) {
        self.path = path
        self.maxSignID = maxSignID
        self.entries = entries
    }
}
