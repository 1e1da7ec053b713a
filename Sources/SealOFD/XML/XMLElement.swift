/// An element of a parsed XML file: name, attributes, child elements and its own character data.
///
/// OFD producers disagree about namespaces (`ofd:` prefix, a default namespace, the wrong URI, none at all), so
/// lookups go by *local name* and ignore prefixes.
public struct XMLElement: Sendable, Hashable {
    /// The name as written, e.g. `ofd:Signature`.
    public var qualifiedName: String
    /// Attributes as written, in document order.
    public var attributes: [(name: String, value: String)]
    public var children: [XMLElement]
    /// The element's own character data (text and CDATA directly inside it), entity-decoded.
    public var text: String

    public init(
        qualifiedName: String, attributes: [(name: String, value: String)] = [], children: [XMLElement] = [],
        text: String = ""
    ) {
        self.qualifiedName = qualifiedName
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The name without its prefix, e.g. `Signature`.
    public var localName: String { Self.local(qualifiedName) }

    /// The value of an attribute by local name (prefixes ignored; `xmlns` declarations never match).
    public func attribute(_ name: String) -> String? {
        for attribute in attributes where !attribute.name.hasPrefix("xmlns") && Self.local(attribute.name) == name {
            return attribute.value
        }
        return nil
    }

    /// The first child with a local name.
    public func child(_ name: String) -> XMLElement? { children.first { $0.localName == name } }

    /// Every child with a local name.
    public func children(_ name: String) -> [XMLElement] { children.filter { $0.localName == name } }

    /// The trimmed text of the first child with a local name.
    public func childText(_ name: String) -> String? { child(name).map { $0.text.trimmingXMLWhitespace() } }

    /// Follows a path of local names, e.g. `["CommonData", "PageArea", "PhysicalBox"]`.
    public func descendant(_ path: [String]) -> XMLElement? {
        var current = self
        for name in path {
            guard let next = current.child(name) else { return nil }
            current = next
        }
        return current
    }

    static func local(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    public static func == (lhs: XMLElement, rhs: XMLElement) -> Bool {
        lhs.qualifiedName == rhs.qualifiedName && lhs.text == rhs.text && lhs.children == rhs.children
            && lhs.attributes.map(\.name) == rhs.attributes.map(\.name)
            && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(qualifiedName)
        hasher.combine(text)
        hasher.combine(children)
    }
}

extension String {
    /// Trims XML whitespace (space, tab, CR, LF) at both ends.
    func trimmingXMLWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
