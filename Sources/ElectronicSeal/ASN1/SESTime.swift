import Foundation
import SwiftASN1
import SealCrypto

/// A time read from a seal structure: the text as written, and the instant it denotes when it can be understood.
///
/// Seal times come as GeneralizedTime (v4), UTCTime (v1 property dates) or text inside a BIT STRING (v1
/// `timeInfo`, e.g. `"2020-04-22 10:09:00"`). Real files bend the rules: a GeneralizedTime tag holding a
/// UTCTime-style string (`"220725214639Z"`), a value without a zone (`"20220318213217"`), ISO 8601 with `T`.
/// All are read; a time without a zone is taken as China Standard Time (UTC+08:00), the local time of the
/// signers that omit it, and ``hasExplicitZone`` says so.
public struct SESTime: Hashable, Sendable {
    /// How the time was encoded on the wire.
    public enum Encoding: String, Hashable, Sendable, Codable {
        case generalizedTime
        case utcTime
        /// Text (or a DER timestamp token) inside a BIT STRING: GM/T 0031-2014 `timeInfo`.
        case bitString
        /// Text inside an OCTET STRING (tolerated for v1 `timeInfo`).
        case octetString
    }

    public var encoding: Encoding
    /// The characters as written (for a BIT STRING holding a timestamp token: empty).
    public var text: String
    /// The instant, or nil when the text is not a time this reader understands.
    public var date: Date?
    /// False when the text carried no zone and UTC+08:00 was assumed.
    public var hasExplicitZone: Bool
    /// A DER RFC 3161 TimeStampToken found where a time was expected (GM/T 0031-2014 allows one in `timeInfo`).
    public var timeStampToken: ArraySlice<UInt8>?
    /// How the text deviated from the standard's time formats when it was read anyway (e.g. a Unix epoch), for
    /// the report's quirks; nil for a standard time.
    public var quirk: String? = nil

    /// A time we write: the instant truncated to whole seconds, encoded as the container requires.
    public init(_ date: Date, encoding: Encoding) {
        let date = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        self.encoding = encoding
        self.date = date
        self.hasExplicitZone = true
        self.timeStampToken = nil
        switch encoding {
        case .utcTime: self.text = Self.utcTimeText(date)
        case .generalizedTime: self.text = Self.generalizedTimeText(date)
        case .bitString, .octetString: self.text = Self.utcTimeText(date)
        }
    }

    /// Reads a time from any of the encodings signers use: GeneralizedTime, UTCTime, BIT STRING or OCTET STRING text.
    init(decoding node: ASN1Node, _ field: String) throws {
        let content: ArraySlice<UInt8>
        switch node.identifier {
        case .generalizedTime:
            encoding = .generalizedTime
            content = try LenientDER.primitive(node, field, identifier: .generalizedTime)
        case .utcTime:
            encoding = .utcTime
            content = try LenientDER.primitive(node, field, identifier: .utcTime)
        case .bitString:
            encoding = .bitString
            content = try SESBitString(derEncoded: node, withIdentifier: .bitString).bytes
        case .octetString:
            encoding = .octetString
            content = try LenientDER.octets(node, field)
        default:
            throw ElectronicSealError.structure("\(field): expected a time, found \(node.identifier)")
        }
        if content.first == 0x30, (try? BER.parse(content)) != nil {
            self.timeStampToken = content
            self.text = ""
            self.date = nil
            self.hasExplicitZone = true
            return
        }
        self.timeStampToken = nil
        let text = String(decoding: content, as: UTF8.self)
        self.text = text
        if let parsed = Self.parse(text) {
            self.date = parsed.date
            self.hasExplicitZone = parsed.explicitZone
        } else if let epoch = Self.epoch(text) {
            self.date = epoch
            self.hasExplicitZone = true
            self.quirk = "time '\(text)' read as a Unix epoch (\(Self.generalizedTimeText(epoch)))"
        } else {
            self.date = nil
            self.hasExplicitZone = false
        }
    }

    // MARK: - Lenient text parsing

    /// The zone assumed for a time written without one: China Standard Time.
    static let assumedOffsetSeconds = 8 * 3600

    /// Any time text signers write: the formats of ``parse(_:)``, then Unix epochs (seconds or milliseconds).
    /// Returns the instant and, for a non-standard form, a quirk saying how it was read.
    public static func read(_ raw: String) -> (date: Date, quirk: String?)? {
        if let parsed = parse(raw) { return (parsed.date, nil) }
        if let date = epoch(raw) { return (date, "time '\(raw)' read as a Unix epoch (\(generalizedTimeText(date)))") }
        return nil
    }

    /// A Unix epoch in seconds (10 digits) or milliseconds (13 digits) between 2000 and 2100; nil otherwise (a
    /// compact calendar date is never taken for an epoch: ``parse(_:)`` runs first).
    static func epoch(_ raw: String) -> Date? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count == 10 || text.count == 13, text.allSatisfy(\.isASCIIDigit), let value = Double(text) else {
            return nil
        }
        let seconds = text.count == 13 ? (value / 1000).rounded(.down) : value
        guard (946_684_800...4_102_444_800).contains(seconds) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Parses the time formats seen in seal files. Returns nil for anything else.
    static func parse(_ raw: String) -> (date: Date, explicitZone: Bool)? {
        let normalized = raw.replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "-")
            .replacingOccurrences(of: "日", with: " ").replacingOccurrences(of: "时", with: ":")
            .replacingOccurrences(of: "分", with: ":").replacingOccurrences(of: "秒", with: "")
        var text = Substring(
            normalized.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\0"))))
        guard !text.isEmpty, text.count <= 40 else { return nil }
        // Zone suffix: Z, or ±hh, ±hhmm, ±hh:mm after the time part.
        var offset: Int?
        if text.last == "Z" || text.last == "z" {
            offset = 0
            text = text.dropLast()
        } else if let signIndex = text.lastIndex(where: { $0 == "+" || $0 == "-" }),
            text.distance(from: text.startIndex, to: signIndex) >= 8
        {
            let zone = text[text.index(after: signIndex)...].filter { $0 != ":" }
            if zone.count == 2 || zone.count == 4, zone.allSatisfy(\.isASCIIDigit),
                let hours = Int(zone.prefix(2)), let minutes = Int(zone.dropFirst(2).isEmpty ? "0" : String(zone.dropFirst(2))),
                hours <= 14, minutes < 60
            {
                let sign = text[signIndex] == "-" ? -1 : 1
                offset = sign * (hours * 3600 + minutes * 60)
                text = text[..<signIndex]
            }
        }
        // Fraction: after '.' or ',' at the end of the time part.
        var fraction = 0.0
        if let dot = text.lastIndex(where: { $0 == "." || $0 == "," }) {
            let digits = text[text.index(after: dot)...]
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCIIDigit) else { return nil }
            fraction = Double("0." + digits) ?? 0
            text = text[..<dot]
        }
        var fields: [Int]
        if text.allSatisfy(\.isASCIIDigit) {
            guard let compact = compactFields(text) else { return nil }
            fields = compact
        } else {
            // Separated: yyyy-MM-dd[( |T)HH:mm[:ss]], also '/' or '.' as date separators.
            let groups = text.split(whereSeparator: { !$0.isASCIIDigit }).map(String.init)
            let separators = text.filter { !$0.isASCIIDigit }
            guard separators.allSatisfy({ "-/: T".contains($0) }), groups.count >= 3, groups.count <= 6,
                groups[0].count == 4
            else { return nil }
            fields = groups.compactMap { Int($0) }
            guard fields.count == groups.count else { return nil }
            while fields.count < 6 { fields.append(0) }
        }
        guard let date = makeDate(fields, offset: offset ?? assumedOffsetSeconds, fraction: fraction) else { return nil }
        return (date, offset != nil)
    }

    /// `YYYYMMDDhhmmss`, `YYYYMMDDhhmm`, `YYYYMMDDhh`, `YYMMDDhhmmss`, `YYMMDDhhmm`, `YYYYMMDD`.
    private static func compactFields(_ digits: Substring) -> [Int]? {
        func numbers(_ widths: [Int]) -> [Int] {
            var result: [Int] = []
            var index = digits.startIndex
            for width in widths {
                let end = digits.index(index, offsetBy: width)
                result.append(Int(digits[index..<end]) ?? -1)
                index = end
            }
            return result
        }
        func century(_ fields: [Int]) -> [Int] {
            var fields = fields
            fields[0] += fields[0] >= 50 ? 1900 : 2000
            return fields
        }
        switch digits.count {
        case 14: return numbers([4, 2, 2, 2, 2, 2])
        case 12:
            // A UTCTime-style string (YYMMDDhhmmss) in a GeneralizedTime tag is the common case;
            // fall back to YYYYMMDDhhmm when that is not a valid date.
            let short = century(numbers([2, 2, 2, 2, 2, 2]))
            if isPlausible(short) { return short }
            return numbers([4, 2, 2, 2, 2]) + [0]
        case 10:
            let short = century(numbers([2, 2, 2, 2, 2]) + [0])
            if isPlausible(short) { return short }
            return numbers([4, 2, 2, 2]) + [0, 0]
        case 8: return numbers([4, 2, 2]) + [0, 0, 0]
        default: return nil
        }
    }

    private static func isPlausible(_ fields: [Int]) -> Bool {
        fields.count == 6 && (1...12).contains(fields[1]) && (1...31).contains(fields[2]) && (0...23).contains(fields[3])
            && (0...59).contains(fields[4]) && (0...60).contains(fields[5])
    }

    private static func makeDate(_ fields: [Int], offset: Int, fraction: Double) -> Date? {
        guard fields.count == 6, (1...9999).contains(fields[0]), isPlausible(fields) else { return nil }
        guard let zone = TimeZone(secondsFromGMT: offset) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(
            year: fields[0], month: fields[1], day: fields[2], hour: fields[3], minute: fields[4],
            second: min(fields[5], 59))
        guard let date = calendar.date(from: components) else { return nil }
        // Reject rolled-over dates such as 31 February.
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == fields[0], back.month == fields[1], back.day == fields[2] else { return nil }
        return date.addingTimeInterval(fraction)
    }

    // MARK: - Text we write

    static func utcComponents(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
    }

    /// `YYYYMMDDHHMMSS[.fff]Z`: DER GeneralizedTime (no trailing zeros in the fraction).
    static func generalizedTimeText(_ date: Date) -> String {
        let whole: String
        if let civil = civilTime(date) {
            whole = civil.compact  // yyyyMMddHHmmss: four-digit years in this range
        } else {
            let parts = utcComponents(date)
            whole = String(
                format: "%04d%02d%02d%02d%02d%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
                parts.second!)
        }
        var text = whole
        // Milliseconds into the second, counted forward also before 1970 (the whole seconds are floored too).
        let scaled = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let millis = scaled.isFinite && abs(scaled) < 9e18 ? (Int(scaled) % 1000 + 1000) % 1000 : 0
        if millis > 0 {
            var fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// `YYMMDDHHMMSSZ`: DER UTCTime.
    static func utcTimeText(_ date: Date) -> String {
        if let civil = civilTime(date) { return String(civil.compact.dropFirst(2)) + "Z" }
        let parts = utcComponents(date)
        return String(
            format: "%02d%02d%02d%02d%02d%02dZ", parts.year! % 100, parts.month!, parts.day!, parts.hour!,
            parts.minute!, parts.second!)
    }

    /// The UTC fields without Calendar (a stamp writes two or three times; Calendar and `String(format:)` were 2 %
    /// of an OFD stamp) for years 1900–9999. Outside them Foundation's calendar is kept: it switches to the Julian
    /// calendar before 1583 where the arithmetic stays proleptic Gregorian, and a forged seal may carry such a date.
    private static func civilTime(_ date: Date) -> CivilTime? {
        let seconds = date.timeIntervalSince1970
        guard seconds >= -2_208_988_800, seconds < 253_402_300_800 else { return nil }
        return CivilTime(date)
    }

    var yearUTC: Int? { date.map { Self.utcComponents($0).year! } }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
