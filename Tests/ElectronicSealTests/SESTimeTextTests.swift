@testable import ElectronicSeal
import Foundation
import Testing

/// The DER time texts a signature writes (signing time, seal dates) against Foundation's own date formatter, which
/// none of our code computes: the calendar arithmetic inside the 1900–9999 range and the calendar outside it.
@Suite struct SESTimeTextTests {
    static func formatter(_ pattern: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.dateFormat = pattern
        return formatter
    }

    static let instants: [Date] = {
        var generator = SystemRandomNumberGenerator()
        let edges: [TimeInterval] = [
            -2_208_988_800, -2_208_988_799.5, -1, -0.5, -0.125, 0, 0.25, 951_782_400 /* 2000-02-29 */,
            4_107_542_399.875 /* 2100-02-28T23:59:59.875 */, 253_402_300_799 /* 9999-12-31T23:59:59 */,
        ]
        let random = (0..<3000).map { _ in
            // Anywhere in 1900–9999, in steps of 125 ms: binary fractions, so the milliseconds are exact in a Double
            // for us and for Foundation alike, and every trailing-zero case of the fraction turns up.
            Double(Int64.random(in: -17_671_910_400..<2_027_218_406_400, using: &generator)) / 8
        }
        return (edges + random).map { Date(timeIntervalSince1970: $0) }
    }()

    @Test func generalizedTimeMatchesFoundationFrom1900To9999() {
        let whole = Self.formatter("yyyyMMddHHmmss")
        let millis = Self.formatter("SSS")
        for date in Self.instants {
            var fraction = millis.string(from: date)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            let expected = whole.string(from: date) + (fraction.isEmpty ? "" : "." + fraction) + "Z"
            #expect(SESTime.generalizedTimeText(date) == expected, "\(date.timeIntervalSince1970)")
        }
    }

    @Test func utcTimeMatchesFoundationFrom1900To9999() {
        let formatter = Self.formatter("yyMMddHHmmss")
        for date in Self.instants {
            #expect(SESTime.utcTimeText(date) == formatter.string(from: date) + "Z", "\(date.timeIntervalSince1970)")
        }
    }

    /// Outside the range the texts follow Foundation's calendar, Julian before 1583, as before.
    @Test func datesOutsideTheRangeFollowFoundationsCalendar() {
        let whole = Self.formatter("yyyyMMddHHmmss")
        for year in [1, 1066, 1494, 1582, 1583, 1899] {
            var components = DateComponents()
            components.year = year
            components.month = 3
            components.day = 1
            components.hour = 12
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: 0)!
            let date = calendar.date(from: components)!
            #expect(SESTime.generalizedTimeText(date) == whole.string(from: date) + "Z", "\(year)")
        }
    }
}
