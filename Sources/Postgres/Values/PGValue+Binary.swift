import Foundation

extension PGValue {
    /// The type OID sent with the parameter (0 lets the server infer it, used for NULL).
    var typeOID: UInt32 {
        switch self {
        case .null: 0
        case .bool: PGTypeOID.bool
        case .int16: PGTypeOID.int2
        case .int32: PGTypeOID.int4
        case .int64: PGTypeOID.int8
        case .double: PGTypeOID.float8
        case .text: PGTypeOID.text
        case .bytea: PGTypeOID.bytea
        case .timestamptz: PGTypeOID.timestamptz
        case .uuid: PGTypeOID.uuid
        case .jsonb: PGTypeOID.jsonb
        case .textArray: PGTypeOID.textArray
        case .int64Array: PGTypeOID.int8Array
        }
    }

    /// Appends the binary wire form to `buffer`; returns false for NULL (nothing appended).
    func appendBinary(to buffer: inout [UInt8]) -> Bool {
        switch self {
        case .null: return false
        case .bool(let value): buffer.append(value ? 1 : 0)
        case .int16(let value): buffer.appendBigEndian(value)
        case .int32(let value): buffer.appendBigEndian(value)
        case .int64(let value): buffer.appendBigEndian(value)
        case .double(let value): buffer.appendBigEndian(value.bitPattern)
        case .text(let value): buffer.append(contentsOf: value.utf8)
        case .bytea(let value): buffer.append(contentsOf: value)
        case .timestamptz(let value): buffer.appendBigEndian(Self.postgresMicroseconds(value))
        case .uuid(let value):
            withUnsafeBytes(of: value.uuid) { buffer.append(contentsOf: $0) }
        case .jsonb(let value):
            buffer.append(1)  // jsonb binary format version
            buffer.append(contentsOf: value.utf8)
        case .textArray(let values):
            Self.appendArrayHeader(count: values.count, elementOID: PGTypeOID.text, to: &buffer)
            for value in values {
                let utf8 = value.utf8
                buffer.appendBigEndian(Int32(utf8.count))
                buffer.append(contentsOf: utf8)
            }
        case .int64Array(let values):
            Self.appendArrayHeader(count: values.count, elementOID: PGTypeOID.int8, to: &buffer)
            for value in values {
                buffer.appendBigEndian(Int32(8))
                buffer.appendBigEndian(value)
            }
        }
        return true
    }

    /// Rough size of the binary form, used to reserve buffer space once.
    var estimatedBinarySize: Int {
        switch self {
        case .text(let value), .jsonb(let value): value.utf8.count + 1
        case .bytea(let value): value.count
        case .textArray(let values): 20 + values.reduce(0) { $0 + 4 + $1.utf8.count }
        case .int64Array(let values): 20 + 12 * values.count
        default: 16
        }
    }

    /// Microseconds since 2000-01-01 00:00 UTC, the binary form of timestamp/timestamptz.
    static func postgresMicroseconds(_ date: Date) -> Int64 {
        if date == .distantFuture { return Int64.max }  // 'infinity'
        if date == .distantPast { return Int64.min }  // '-infinity'
        return Int64(((date.timeIntervalSince1970 - postgresEpochOffsetSeconds) * 1_000_000).rounded())
    }

    private static func appendArrayHeader(count: Int, elementOID: UInt32, to buffer: inout [UInt8]) {
        buffer.appendBigEndian(Int32(count == 0 ? 0 : 1))  // dimensions
        buffer.appendBigEndian(Int32(0))  // no NULL elements
        buffer.appendBigEndian(elementOID)
        if count > 0 {
            buffer.appendBigEndian(Int32(count))
            buffer.appendBigEndian(Int32(1))  // lower bound
        }
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { self.append(contentsOf: $0) }
    }
}
