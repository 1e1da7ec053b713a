import Foundation
import SwiftASN1

/// Writing helpers.
enum DERWriting {
    /// X.509 Time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).
    static func serializeTime(_ date: Date, into coder: inout DER.Serializer) throws {
        let c = DERReading.utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        if let year = c.year, year >= 1950, year < 2050 {
            try coder.serialize(
                try UTCTime(year: year, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!))
        } else {
            try coder.serialize(generalizedTime(date))
        }
    }

    static func generalizedTime(_ date: Date) throws -> GeneralizedTime {
        let c = DERReading.utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return try GeneralizedTime(
            year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!,
            fractionalSeconds: 0)
    }

    /// Builds DER with a closure.
    static func build(_ body: (inout DER.Serializer) throws -> Void) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try body(&serializer)
        return serializer.serializedBytes
    }
}
