import Foundation
import SealCrypto

/// PDF date strings (ISO 32000-1 §7.9.4): `D:YYYYMMDDHHmmSS+HH'mm'`.
enum PDFDate {
    /// `D:YYYYMMDDHHmmSS+00'00'` in UTC.
    static func format(_ date: Date) -> String { "D:" + CivilTime(date).compact + "+00'00'" }

    /// Parses `D:YYYYMMDDHHmmSS` (+ zone) loosely; nil when absent or unreadable.
    static func parse(_ text: String?) -> Date? {
        guard var text, text.hasPrefix("D:") else { return nil }
        text.removeFirst(2)
        let digits = Array(text.prefix { $0.isASCII && $0.isNumber })
        guard digits.count >= 8 else { return nil }
        func field(_ start: Int, _ length: Int, _ fallback: Int) -> Int {
            start + length <= digits.count ? Int(String(digits[start..<start + length])) ?? fallback : fallback
        }
        var components = DateComponents()
        components.year = field(0, 4, 1970)
        components.month = field(4, 2, 1)
        components.day = field(6, 2, 1)
        components.hour = field(8, 2, 0)
        components.minute = field(10, 2, 0)
        components.second = field(12, 2, 0)
        var offset = 0
        let rest = text.dropFirst(digits.count)
        if let sign = rest.first, sign == "+" || sign == "-" {
            let zone = rest.dropFirst().filter { $0.isASCII && $0.isNumber }
            let hours = Int(String(zone.prefix(2))) ?? 0
            let minutes = Int(String(zone.dropFirst(2).prefix(2))) ?? 0
            offset = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset) ?? TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }
}
