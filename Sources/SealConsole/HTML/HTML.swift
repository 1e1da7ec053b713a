import Foundation
import SealReportHTML

/// A fragment of HTML. Interpolated strings are escaped with ``HTMLText/escape(_:)`` — the one escaping function of
/// every console page — and only other `HTML` values are inserted as markup, so a value from a document or the
/// database cannot become markup by accident.
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var text: String

    init(stringLiteral value: String) { self.text = value }

    init(stringInterpolation: StringInterpolation) { self.text = stringInterpolation.text }

    /// Markup produced elsewhere that is already safe (the verification report page, which escapes its values).
    init(trustedMarkup: String) { self.text = trustedMarkup }

    var description: String { text }

    struct StringInterpolation: StringInterpolationProtocol {
        var text = ""
        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }
        mutating func appendLiteral(_ literal: String) { text += literal }
        mutating func appendInterpolation(_ value: String) { text += HTMLText.escape(value) }
        mutating func appendInterpolation(_ value: String?) { text += HTMLText.escape(value ?? "—") }
        mutating func appendInterpolation(_ value: Int) { text += String(value) }
        mutating func appendInterpolation(_ value: Int64) { text += String(value) }
        mutating func appendInterpolation(_ value: Date?) { text += HTMLText.escape(value.map(HTML.time) ?? "—") }
        mutating func appendInterpolation(_ value: HTML) { text += value.text }
        mutating func appendInterpolation(_ values: [HTML]) { for value in values { text += value.text } }
    }

    /// `2026-12-02 01:02:03 UTC`.
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }

    /// A query-string component (for links built from values).
    static func query(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
