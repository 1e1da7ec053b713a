import Foundation

/// UTCTime / GeneralizedTime parsing for signing times and timestamp genTime.
enum DERTime {
    static func parse(_ node: DERNode) -> Date? {
        guard node.tag == 0x17 || node.tag == 0x18 else { return nil }
        let text = String(decoding: node.value, as: UTF8.self)
        var digits = Array(text.prefix { $0.isASCII && $0.isNumber })
        if node.tag == 0x17 {
            guard digits.count >= 10, let year = Int(String(digits[0..<2])) else { return nil }
            digits = Array(String(year < 50 ? 2000 + year : 1900 + year)) + digits[2...]
        }
        guard digits.count >= 12 else { return nil }
        func field(_ start: Int, _ length: Int) -> Int { Int(String(digits[start..<min(digits.count, start + length)])) ?? 0 }
        var components = DateComponents()
        components.year = field(0, 4)
        components.month = field(4, 2)
        components.day = field(6, 2)
        components.hour = field(8, 2)
        components.minute = field(10, 2)
        components.second = digits.count >= 14 ? field(12, 2) : 0
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }
}
