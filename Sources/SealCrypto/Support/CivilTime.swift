public import Foundation

/// The calendar fields of an instant at a fixed offset from UTC, computed without Calendar/ICU (Howard Hinnant's
/// days-to-civil): signing paths write one or two times per document (PDF `/M`, OFD `SignatureDateTime`, ZIP
/// DOS times) and readers print times for people.
public struct CivilTime: Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    /// The fields of `date` (truncated to whole seconds) at `offsetSeconds` east of UTC.
    public init(_ date: Date, offsetSeconds: Int = 0) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + offsetSeconds
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
    }

    /// Two digits, zero-padded.
    public static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `yyyyMMddHHmmss`.
    public var compact: String {
        "\(year)" + Self.two(month) + Self.two(day) + Self.two(hour) + Self.two(minute) + Self.two(second)
    }
}
