import Foundation

/// PDF date strings (ISO 32000-1 §7.9.4): `D:YYYYMMDDHHmmSS+HH'mm'`.
enum PDFDate {
    /// `D:YYYYMMDDHHmmSS+00'00'` in UTC.
    static func format(_ date: Date) -> String {
        let (y, mo, d, h, mi, s) = civil(Int64(date.timeIntervalSince1970.rounded(.down)))
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "D:\(y)\(two(mo))\(two(d))\(two(h))\(two(mi))\(two(s))+00'00'"
    }

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

    /// Seconds since 1970 to (year, month, day, hour, minute, second) in UTC, without a Calendar (Howard Hinnant's
    /// days-to-civil): the signing path formats one date per document.
    static func civil(_ seconds: Int64) -> (Int, Int, Int, Int, Int, Int) {
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
    }
}
