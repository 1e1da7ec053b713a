import Foundation

/// Times as OFD files write them.
enum OFDDateTime {
    /// `SignatureDateTime`: `yyyyMMddHHmmssZ` in UTC, the form most commercial signers use.
    static func signatureDateTime(_ date: Date) -> String {
        let parts = components(date)
        return String(format: "%04d%02d%02d%02d%02d%02dZ", parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second)
    }

    static func components(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return (c.year ?? 1980, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}

extension DOSDateTime {
    init(_ date: Date) {
        let parts = OFDDateTime.components(date)
        self.init(year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second)
    }
}
