import Foundation

/// The compact JSON of a report, written directly into one buffer: what a stamp or verify job stores in its JSONB
/// report column for every document.
///
/// The bytes are those of `JSONEncoder` with `.sortedKeys` and `.iso8601` dates (before this writer the compact form
/// was `JSONEncoder`'s without sorting, whose key order on Linux varies from run to run; a JSONB column keeps its own
/// order, so the stored value is the same): the same keys and types, absent optionals left out, `/` written as `\/`,
/// control characters as `\u00xx`, dates as `yyyy-MM-ddTHH:mm:ssZ` in UTC (whole seconds). A test compares the two
/// on reports with every optional field present and absent and with characters that need escaping. It exists because Foundation's encoder, through
/// its generic containers, cost about 5 % of a pipeline worker's CPU (perf, Docs/benchmarks.md).
extension VerificationReport {
    /// The report as compact JSON (see the extension's discussion).
    public func compactJSON() -> [UInt8] {
        var out = CompactJSONWriter()
        out.objectStart()
        out.key("documentChecks", first: true)
        out.array(documentChecks) { out, check in check.write(to: &out) }
        out.optional("documentSHA256", documentSHA256)
        out.key("format")
        out.string(format)
        out.key("integrity")
        integrity.write(to: &out)
        out.key("signatures")
        out.array(signatures) { out, signature in signature.write(to: &out) }
        out.key("trust")
        trust.write(to: &out)
        out.key("verdict")
        verdict.write(to: &out)
        out.key("verifiedAt")
        out.date(verifiedAt)
        out.objectEnd()
        return out.bytes
    }
}

extension SignatureReport {
    fileprivate func write(to out: inout CompactJSONWriter) {
        out.objectStart()
        out.optional("algorithm", algorithm, first: true)
        out.key("checks", first: algorithm == nil)
        out.array(checks) { out, check in check.write(to: &out) }
        out.key("format")
        out.string(format)
        out.key("id")
        out.string(id)
        out.key("integrity")
        integrity.write(to: &out)
        out.key("quirks")
        out.array(quirks) { out, quirk in out.string(quirk) }
        out.optional("sealID", sealID)
        out.optional("sealName", sealName)
        out.optional("signer", signer)
        out.optional("signerSerial", signerSerial)
        if let signingTime {
            out.key("signingTime")
            out.date(signingTime)
        }
        out.key("timestamped")
        out.bool(timestamped)
        out.key("trust")
        trust.write(to: &out)
        out.key("verdict")
        verdict.write(to: &out)
        out.objectEnd()
    }
}

extension Check {
    fileprivate func write(to out: inout CompactJSONWriter) {
        out.objectStart()
        out.key("category", first: true)
        out.string(category.rawValue)
        out.key("name")
        out.string(name)
        out.optional("reason", reason)
        out.key("status")
        out.string(status.rawValue)
        out.optional("subIndication", subIndication?.rawValue)
        out.objectEnd()
    }
}

extension Verdict {
    fileprivate func write(to out: inout CompactJSONWriter) {
        out.objectStart()
        out.key("indication", first: true)
        out.string(indication.rawValue)
        out.key("reasons")
        out.array(reasons) { out, reason in out.string(reason) }
        out.optional("subIndication", subIndication?.rawValue)
        out.objectEnd()
    }
}

/// JSON text appended to one byte buffer, escaping as Foundation's `JSONEncoder` does by default.
struct CompactJSONWriter {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(2048)
    }

    mutating func objectStart() { bytes.append(UInt8(ascii: "{")) }
    mutating func objectEnd() { bytes.append(UInt8(ascii: "}")) }

    /// `"name":`, after a comma unless it is the object's first key.
    mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func optional(_ name: StaticString, _ value: String?, first: Bool = false) {
        guard let value else { return }
        key(name, first: first)
        string(value)
    }

    mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    mutating func array<T>(_ elements: [T], _ write: (inout CompactJSONWriter, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case UInt8(ascii: "/"): bytes.append(contentsOf: [0x5C, 0x2F])
            case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `value` in decimal, zero-padded to `count` digits.
    private mutating func digits(_ value: Int32, _ count: Int) {
        var text = [UInt8](repeating: UInt8(ascii: "0"), count: count)
        var rest = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        bytes.append(contentsOf: text)
    }

    /// ISO 8601 in UTC with whole seconds, as `JSONEncoder.DateEncodingStrategy.iso8601` writes it.
    mutating func date(_ date: Date) {
        // gmtime's proleptic Gregorian calendar matches Foundation's only from 1583 on (Foundation writes earlier
        // dates in the Julian calendar): outside 1900-01-01 ... 9999-12-31, and for a non-finite value, the
        // formatter JSONEncoder uses writes the date (a forged signing time may say anything).
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, interval >= -2_208_988_800, interval < 253_402_300_800 else {
            string(ISO8601DateFormatter().string(from: date))
            return
        }
        var seconds = time_t(interval.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        bytes.append(UInt8(ascii: "\""))
        self.digits(parts.tm_year + 1900, 4)
        bytes.append(UInt8(ascii: "-"))
        self.digits(parts.tm_mon + 1, 2)
        bytes.append(UInt8(ascii: "-"))
        self.digits(parts.tm_mday, 2)
        bytes.append(UInt8(ascii: "T"))
        self.digits(parts.tm_hour, 2)
        bytes.append(UInt8(ascii: ":"))
        self.digits(parts.tm_min, 2)
        bytes.append(UInt8(ascii: ":"))
        self.digits(parts.tm_sec, 2)
        bytes.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }
}
