import Foundation
import SwiftASN1

/// Small helpers over swift-asn1 for lenient-but-safe reading.
enum DERReading {
    /// Parses one DER node; falls back to BER (indefinite lengths, non-minimal encodings) real signers emit.
    static func parse(_ bytes: [UInt8]) throws -> ASN1Node {
        do { return try DER.parse(bytes) } catch { return try BER.parse(bytes) }
    }

    static func parse(_ bytes: ArraySlice<UInt8>) throws -> ASN1Node {
        do { return try DER.parse(bytes) } catch { return try BER.parse(bytes) }
    }

    /// The children of a constructed node with the given identifier.
    static func children(_ node: ASN1Node, _ identifier: ASN1Identifier = .sequence) throws -> [ASN1Node] {
        guard node.identifier == identifier, case .constructed(let nodes) = node.content else {
            throw ASN1Error.unexpectedFieldType(node.identifier)
        }
        return Array(nodes)
    }

    /// The content bytes of a primitive node.
    static func primitive(_ node: ASN1Node, _ identifier: ASN1Identifier) throws -> ArraySlice<UInt8> {
        guard node.identifier == identifier, case .primitive(let bytes) = node.content else {
            throw ASN1Error.unexpectedFieldType(node.identifier)
        }
        return bytes
    }

    /// An OCTET STRING's bytes (primitive or BER-constructed).
    static func octets(_ node: ASN1Node) throws -> [UInt8] {
        switch node.content {
        case .primitive(let bytes) where node.identifier == .octetString: return Array(bytes)
        case .constructed(let nodes) where node.identifier == .octetString:
            return try nodes.flatMap { try octets($0) }
        default: throw ASN1Error.unexpectedFieldType(node.identifier)
        }
    }

    /// A BIT STRING's bytes, tolerating non-zero unused bits (trimmed encodings from some signers).
    static func bitStringBytes(_ node: ASN1Node, identifier: ASN1Identifier = .bitString) throws -> [UInt8] {
        let content = try primitive(node, identifier)
        guard let first = content.first, first < 8 else {
            throw ASN1Error.invalidASN1Object(reason: "BIT STRING without a valid unused-bits octet")
        }
        return Array(content.dropFirst())
    }

    /// An INTEGER's raw big-endian content (two's complement, as encoded).
    static func integerBytes(_ node: ASN1Node) throws -> [UInt8] {
        let content = try primitive(node, .integer)
        guard !content.isEmpty else { throw ASN1Error.invalidASN1Object(reason: "empty INTEGER") }
        return Array(content)
    }

    /// A BOOLEAN, accepting any non-zero octet as TRUE (BER), as real certificates do.
    static func boolean(_ node: ASN1Node) throws -> Bool {
        let content = try primitive(node, .boolean)
        guard content.count == 1 else { throw ASN1Error.invalidASN1Object(reason: "BOOLEAN length") }
        return content.first! != 0
    }

    /// A small non-negative INTEGER.
    static func smallInteger(_ node: ASN1Node) throws -> Int {
        try Int(derEncoded: node)
    }

    static func oid(_ node: ASN1Node) throws -> ASN1ObjectIdentifier {
        try ASN1ObjectIdentifier(derEncoded: node)
    }

    /// UTCTime or GeneralizedTime as a Date.
    static func time(_ node: ASN1Node) throws -> Date {
        if node.identifier == .utcTime {
            if let t = try? UTCTime(derEncoded: node) { return date(t.year, t.month, t.day, t.hours, t.minutes, t.seconds, 0) }
            return try looseTime(node, fourDigitYear: false)
        }
        if node.identifier == .generalizedTime {
            if let t = try? GeneralizedTime(derEncoded: node) {
                return date(t.year, t.month, t.day, t.hours, t.minutes, t.seconds, t.fractionalSeconds)
            }
            return try looseTime(node, fourDigitYear: true)
        }
        throw ASN1Error.unexpectedFieldType(node.identifier)
    }

    /// Lenient time parsing: `YYMMDDHHMM[SS]Z` / `YYYYMMDDHHMMSS[.f]Z`, also UTCTime-style text in a
    /// GeneralizedTime (seen in real seals).
    private static func looseTime(_ node: ASN1Node, fourDigitYear: Bool) throws -> Date {
        guard case .primitive(let bytes) = node.content else { throw ASN1Error.invalidASN1Object(reason: "time") }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("Z") { text.removeLast() }
        if let dot = text.firstIndex(of: ".") { text = String(text[..<dot]) }
        let digits = text.compactMap { $0.wholeNumberValue }
        guard digits.count == text.count else { throw ASN1Error.invalidASN1Object(reason: "time has non-digits") }
        var index = 0
        func take(_ n: Int) -> Int? {
            guard index + n <= digits.count else { return nil }
            defer { index += n }
            return digits[index..<(index + n)].reduce(0) { $0 * 10 + $1 }
        }
        let year: Int
        if digits.count >= 14 || (fourDigitYear && digits.count != 12 && digits.count != 10) {
            guard let y = take(4) else { throw ASN1Error.invalidASN1Object(reason: "time") }
            year = y
        } else {
            guard let y = take(2) else { throw ASN1Error.invalidASN1Object(reason: "time") }
            year = y < 50 ? 2000 + y : 1900 + y
        }
        guard let month = take(2), let day = take(2), let hour = take(2), let minute = take(2) else {
            throw ASN1Error.invalidASN1Object(reason: "time too short")
        }
        let second = take(2) ?? 0
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            throw ASN1Error.invalidASN1Object(reason: "time out of range")
        }
        return date(year, month, day, hour, minute, second, 0)
    }

    static func date(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, _ fraction: Double) -> Date {
        var components = DateComponents()
        components.year = y
        components.month = mo
        components.day = d
        components.hour = h
        components.minute = mi
        components.second = s
        let date = utcCalendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
        return date.addingTimeInterval(fraction)
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
