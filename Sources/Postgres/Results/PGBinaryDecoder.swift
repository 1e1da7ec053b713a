import Foundation

/// Decodes PostgreSQL's binary wire formats. Every function checks lengths and throws `.decoding`.
enum PGBinaryDecoder {
    static func integer<T: FixedWidthInteger>(
        _ bytes: UnsafeRawBufferPointer, as: T.Type, at offset: Int = 0
    ) throws(PGError) -> T {
        let size = MemoryLayout<T>.size
        guard offset >= 0, offset + size <= bytes.count else {
            throw PGError(.decoding, "expected \(size) bytes at offset \(offset), value has \(bytes.count)")
        }
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size])) }
        return T(bigEndian: value)
    }

    /// int2/int4/int8/oid as Int.
    static func int(_ bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PGError) -> Int {
        switch oid {
        case PGTypeOID.int2 where bytes.count == 2: return Int(try integer(bytes, as: Int16.self))
        case PGTypeOID.int4 where bytes.count == 4: return Int(try integer(bytes, as: Int32.self))
        case PGTypeOID.int8 where bytes.count == 8: return Int(try integer(bytes, as: Int64.self))
        case PGTypeOID.oid where bytes.count == 4: return Int(try integer(bytes, as: UInt32.self))
        default: throw mismatch("an integer (int2/int4/int8)", oid)
        }
    }

    static func double(_ bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PGError) -> Double {
        switch oid {
        case PGTypeOID.float8 where bytes.count == 8:
            return Double(bitPattern: try integer(bytes, as: UInt64.self))
        case PGTypeOID.float4 where bytes.count == 4:
            return Double(Float(bitPattern: try integer(bytes, as: UInt32.self)))
        case PGTypeOID.int2, PGTypeOID.int4, PGTypeOID.int8:
            return Double(try int(bytes, oid: oid))
        case PGTypeOID.numeric:
            let text = try numericString(bytes)
            switch text {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default:
                guard let value = Double(text) else { throw PGError(.decoding, "numeric value is not a number") }
                return value
            }
        default: throw mismatch("a float (float4/float8)", oid)
        }
    }

    static func bool(_ bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PGError) -> Bool {
        guard oid == PGTypeOID.bool, bytes.count == 1 else { throw mismatch("bool", oid) }
        return bytes[0] != 0
    }

    static func string(_ bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PGError) -> String {
        switch oid {
        case _ where PGTypeOID.textLike.contains(oid):
            return String(decoding: bytes, as: UTF8.self)
        case PGTypeOID.jsonb:
            guard bytes.count >= 1, bytes[0] == 1 else { throw PGError(.decoding, "unknown jsonb binary version") }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[1...]), as: UTF8.self)
        case PGTypeOID.char where bytes.count == 1:
            return String(decoding: bytes, as: UTF8.self)
        case PGTypeOID.uuid:
            return try uuid(bytes, oid: oid).uuidString.lowercased()
        case PGTypeOID.numeric:
            return try numericString(bytes)
        default:
            throw mismatch("text (text/varchar/name/json/jsonb/uuid/numeric; cast other types with ::text)", oid)
        }
    }

    static func bytes(_ bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PGError) -> [UInt8] {
        guard oid == PGTypeOID.bytea else { throw mismatch("bytea", oid) }
        return [UInt8](bytes)
    }

    static func date(_ bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PGError) -> Date {
        switch oid {
        case PGTypeOID.timestamptz, PGTypeOID.timestamp:
            guard bytes.count == 8 else { throw mismatch("timestamptz", oid) }
            let micros = try integer(bytes, as: Int64.self)
            if micros == .max { return .distantFuture }
            if micros == .min { return .distantPast }
            let seconds = Double(micros / 1_000_000) + Double(micros % 1_000_000) / 1_000_000
            return Date(timeIntervalSince1970: postgresEpochOffsetSeconds + seconds)
        case PGTypeOID.date:
            guard bytes.count == 4 else { throw mismatch("date", oid) }
            let days = try integer(bytes, as: Int32.self)
            if days == .max { return .distantFuture }
            if days == .min { return .distantPast }
            return Date(timeIntervalSince1970: postgresEpochOffsetSeconds + Double(days) * 86_400)
        default:
            throw mismatch("a timestamp (timestamptz/timestamp/date)", oid)
        }
    }

    static func uuid(_ bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PGError) -> UUID {
        if oid == PGTypeOID.uuid, bytes.count == 16 {
            var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: bytes) }
            return UUID(uuid: raw)
        }
        if PGTypeOID.textLike.contains(oid), let value = UUID(uuidString: String(decoding: bytes, as: UTF8.self)) {
            return value
        }
        throw mismatch("uuid", oid)
    }

    /// The elements of a one-dimensional array (nil elements are NULL) and the element type OID.
    static func arrayElements(
        _ bytes: UnsafeRawBufferPointer, oid: UInt32
    ) throws(PGError) -> (elementOID: UInt32, elements: [UnsafeRawBufferPointer?]) {
        let dimensions = try integer(bytes, as: Int32.self, at: 0)
        let elementOID = try integer(bytes, as: UInt32.self, at: 8)
        if dimensions == 0 { return (elementOID, []) }
        guard dimensions == 1 else { throw PGError(.decoding, "only one-dimensional arrays are supported") }
        let count = Int(try integer(bytes, as: Int32.self, at: 12))
        guard count >= 0 else { throw PGError(.decoding, "negative array length") }
        var offset = 20
        var elements: [UnsafeRawBufferPointer?] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            let length = Int(try integer(bytes, as: Int32.self, at: offset))
            offset += 4
            if length < 0 {
                elements.append(nil)
                continue
            }
            guard offset + length <= bytes.count else { throw PGError(.decoding, "array element overruns the value") }
            elements.append(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]))
            offset += length
        }
        return (elementOID, elements)
    }

    /// `numeric` binary form (base-10000 digits) as its canonical decimal text.
    static func numericString(_ bytes: UnsafeRawBufferPointer) throws(PGError) -> String {
        let digitCount = Int(try integer(bytes, as: Int16.self, at: 0))
        let weight = Int(try integer(bytes, as: Int16.self, at: 2))
        let sign = try integer(bytes, as: UInt16.self, at: 4)
        let scale = Int(try integer(bytes, as: Int16.self, at: 6))
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        case 0x0000, 0x4000: break
        default: throw PGError(.decoding, "invalid numeric sign")
        }
        var digits: [Int] = []
        for index in 0..<max(digitCount, 0) {
            digits.append(Int(try integer(bytes, as: Int16.self, at: 8 + 2 * index)))
        }
        func digit(_ position: Int) -> Int { position >= 0 && position < digits.count ? digits[position] : 0 }
        var text = sign == 0x4000 ? "-" : ""
        if weight < 0 {
            text += "0"
        } else {
            for position in 0...weight {
                let group = String(digit(position))
                text += position == 0 ? group : String(repeating: "0", count: 4 - group.count) + group
            }
        }
        if scale > 0 {
            var fraction = ""
            var position = weight + 1
            while fraction.count < scale {
                let group = String(digit(position))
                fraction += String(repeating: "0", count: 4 - group.count) + group
                position += 1
            }
            text += "." + fraction.prefix(scale)
        }
        return text
    }

    static func mismatch(_ expected: String, _ oid: UInt32) -> PGError {
        PGError(.decoding, "expected \(expected), column has type OID \(oid)")
    }
}
