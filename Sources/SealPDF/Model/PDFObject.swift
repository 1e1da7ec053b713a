/// One PDF object as parsed or to be written.
///
/// Indirect objects appear as ``reference(_:)`` until resolved with ``PDFDocument/resolve(_:)``.
public enum PDFObject: Sendable, Hashable {
    case null
    case boolean(Bool)
    case integer(Int)
    case real(Double)
    case string(PDFString)
    case name(PDFName)
    case array([PDFObject])
    case dictionary(PDFDictionary)
    case stream(PDFStream)
    case reference(PDFReference)
}

extension PDFObject {
    /// The value of an `.integer` (or an integral `.real`), else nil.
    public var integerValue: Int? {
        switch self {
        case .integer(let value): return value
        case .real(let value) where value.rounded() == value && abs(value) < 9e15: return Int(value)
        default: return nil
        }
    }

    /// The value of an `.integer` or `.real` as a Double, else nil.
    public var numberValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return nil
        }
    }

    /// The value of a `.boolean`, else nil.
    public var booleanValue: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    /// The value of a `.name`, else nil.
    public var nameValue: PDFName? {
        if case .name(let value) = self { return value }
        return nil
    }

    /// The value of a `.string`, else nil.
    public var stringValue: PDFString? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements of an `.array`, else nil.
    public var arrayValue: [PDFObject]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The dictionary of a `.dictionary`, or of a `.stream`, else nil.
    public var dictionaryValue: PDFDictionary? {
        switch self {
        case .dictionary(let value): return value
        case .stream(let stream): return stream.dictionary
        default: return nil
        }
    }

    /// The value of a `.stream`, else nil.
    public var streamValue: PDFStream? {
        if case .stream(let value) = self { return value }
        return nil
    }

    /// The value of a `.reference`, else nil.
    public var referenceValue: PDFReference? {
        if case .reference(let value) = self { return value }
        return nil
    }

    /// True for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension PDFObject: ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
}
