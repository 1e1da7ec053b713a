/// A PDF dictionary: entries in document order, looked up by name.
///
/// Equality and hashing ignore entry order (two dictionaries with the same entries are the same object
/// for PDF semantics). Setting a key to `nil` removes it.
public struct PDFDictionary: Hashable, Sendable, ExpressibleByDictionaryLiteral, Sequence {
    /// One key/value pair.
    public struct Entry: Hashable, Sendable {
        public var key: PDFName
        public var value: PDFObject
        public init(key: PDFName, value: PDFObject) {
            self.key = key
            self.value = value
        }
    }

    /// The entries in the order they were parsed or added.
    public private(set) var entries: [Entry]

    /// Creates an empty dictionary.
    public init() { entries = [] }

    /// Creates a dictionary from entries (a later duplicate key replaces an earlier one).
    public init(_ pairs: [(PDFName, PDFObject)]) {
        entries = []
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    public init(dictionaryLiteral elements: (PDFName, PDFObject)...) { self.init(elements) }

    /// Internal fast path for the parser: appends, replacing a duplicate key.
    init(parsedEntries: [Entry]) {
        entries = parsedEntries
        if entries.count > 1 {
            var hasDuplicate = false
            if entries.count <= 16 {
                // Small dictionaries (almost all of them): a quadratic check is cheaper than hashing.
                outer: for i in 1..<entries.count {
                    for j in 0..<i where entries[j].key == entries[i].key {
                        hasDuplicate = true
                        break outer
                    }
                }
            } else {
                var seen = Set<PDFName>()
                for entry in entries where !seen.insert(entry.key).inserted {
                    hasDuplicate = true
                    break
                }
            }
            if hasDuplicate {
                var result = PDFDictionary()
                for entry in parsedEntries { result[entry.key] = entry.value }
                self = result
            }
        }
    }

    /// The value for a key, or nil when absent. Setting nil removes the key.
    public subscript(_ key: PDFName) -> PDFObject? {
        get {
            for entry in entries where entry.key == key { return entry.value }
            return nil
        }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// The keys in order.
    public var keys: [PDFName] { entries.map(\.key) }

    /// The number of entries.
    public var count: Int { entries.count }

    /// True when there are no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// `/Type` as a name, if present.
    public var type: PDFName? { self[.type]?.nameValue }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    /// A copy with the entries of `other` set over these.
    public func merging(_ other: PDFDictionary) -> PDFDictionary {
        var result = self
        for entry in other.entries { result[entry.key] = entry.value }
        return result
    }

    public static func == (lhs: PDFDictionary, rhs: PDFDictionary) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        if lhs.entries == rhs.entries { return true }
        for entry in lhs.entries where rhs[entry.key] != entry.value { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        var sum = 0
        for entry in entries { sum = sum &+ entry.hashValue }
        hasher.combine(sum)
    }
}
