/// Which matches of a keyword placement (关键字签章) get a seal, among all keywords' matches in reading order
/// (page, top to bottom, left to right). One type for PDF, OFD, the CLI and pipelines.
public enum KeywordOccurrence: Sendable, Hashable, Codable, CustomStringConvertible {
    case first
    case last
    case all
    /// The N-th match (1-based).
    case number(Int)

    /// Parses `first`, `last`, `all` or a positive number.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "first": self = .first
        case "last": self = .last
        case "all": self = .all
        default:
            guard let number = Int(text), number >= 1 else { return nil }
            self = .number(number)
        }
    }

    public var description: String {
        switch self {
        case .first: "first"
        case .last: "last"
        case .all: "all"
        case .number(let n): String(n)
        }
    }

    /// The chosen elements of matches already in reading order.
    ///
    /// Inlinable, so callers get it specialised for their match type (no generic metadata looked up per call).
    @inlinable public func select<T>(_ matches: [T]) -> [T] {
        switch self {
        case .first: matches.first.map { [$0] } ?? []
        case .last: matches.last.map { [$0] } ?? []
        case .all: matches
        case .number(let n): n <= matches.count ? [matches[n - 1]] : []
        }
    }
}
