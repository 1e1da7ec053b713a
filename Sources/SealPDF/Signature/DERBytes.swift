/// Minimal DER writing for the signature containers this module builds (definite lengths, pre-encoded OIDs).
///
/// The CMS / SES structures written here are fixed shapes; building them from byte arrays keeps signing a
/// single pass with no intermediate object trees (the stamp benchmark signs hundreds of documents a second).
enum DERBytes {
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var value = count
        while value > 0 {
            bytes.insert(UInt8(value & 0xFF), at: 0)
            value >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [tag]
        out += length(content.count)
        out += content
        return out
    }

    static func sequence(_ parts: [UInt8]...) -> [UInt8] { tlv(0x30, parts.flatMap { $0 }) }
    static func set(_ parts: [UInt8]...) -> [UInt8] { tlv(0x31, parts.flatMap { $0 }) }

    /// A DER SET OF: elements sorted by their encodings (X.690 §11.6).
    static func setOf(_ elements: [[UInt8]]) -> [UInt8] {
        tlv(0x31, elements.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 })
    }

    static func octetString(_ bytes: [UInt8]) -> [UInt8] { tlv(0x04, bytes) }
    static let null: [UInt8] = [0x05, 0x00]

    static func integer(_ value: Int) -> [UInt8] {
        precondition(value >= 0 && value < 0x80_0000)
        var bytes: [UInt8] = []
        var rest = value
        repeat {
            bytes.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        } while rest > 0
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return tlv(0x02, bytes)
    }

    /// An INTEGER from unsigned big-endian magnitude bytes (leading zeros stripped, sign byte added).
    static func unsignedInteger(_ magnitude: [UInt8]) -> [UInt8] {
        var bytes = Array(magnitude.drop { $0 == 0 })
        if bytes.isEmpty { bytes = [0] }
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return tlv(0x02, bytes)
    }

    /// `[n]` constructed context tag around already-encoded content.
    static func context(_ number: UInt8, constructed: Bool = true, _ content: [UInt8]) -> [UInt8] {
        tlv(0x80 | (constructed ? 0x20 : 0) | number, content)
    }

    /// Encodes an OID from its arcs.
    static func oid(_ arcs: [UInt64]) -> [UInt8] {
        var body: [UInt8] = []
        func base128(_ value: UInt64) {
            var chunk: [UInt8] = [UInt8(value & 0x7F)]
            var rest = value >> 7
            while rest > 0 {
                chunk.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
                rest >>= 7
            }
            body += chunk
        }
        base128(arcs[0] * 40 + arcs[1])
        for arc in arcs.dropFirst(2) { base128(arc) }
        return tlv(0x06, body)
    }

    /// UTCTime (years 1950–2049) or GeneralizedTime, as RFC 5280 prescribes, from a Unix time.
    static func time(_ secondsSince1970: Int64, forceGeneralized: Bool = false) -> [UInt8] {
        let (year, month, day, hour, minute, second) = civil(secondsSince1970)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let tail = two(month) + two(day) + two(hour) + two(minute) + two(second) + "Z"
        if !forceGeneralized && year >= 1950 && year < 2050 {
            return tlv(0x17, Array((two(year % 100) + tail).utf8))
        }
        return tlv(0x18, Array((String(year) + tail).utf8))
    }

    /// Proleptic Gregorian calendar fields (UTC) for a Unix time.
    static func civil(_ seconds: Int64) -> (Int, Int, Int, Int, Int, Int) {
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        // Howard Hinnant's days-to-civil.
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
