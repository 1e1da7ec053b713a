import Foundation
import SealCrypto

/// Times as OFD files write them.
enum OFDDateTime {
    /// `SignatureDateTime`: `yyyyMMddHHmmssZ` in UTC, the form most commercial signers use.
    static func signatureDateTime(_ date: Date) -> String { CivilTime(date).compact + "Z" }
}

extension DOSDateTime {
    init(_ date: Date) {
        let parts = CivilTime(date)
        self.init(year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second)
    }
}
