import Foundation

extension PGRow {
    /// The value as a ``PGValue`` chosen from the column type, for generic output (JSON dumps, status views).
    ///
    /// int2/int4/int8/oid → `.int64`; float4/float8 → `.double`; text-like, numeric and json → `.text`;
    /// jsonb → `.jsonb`; bytea, bool, timestamptz/timestamp/date, uuid, text[] and integer arrays map to
    /// their cases; NULL → `.null`. Other types throw ``PGError/Code/decoding`` (cast them to text in SQL).
    public func value(_ column: Int) throws(PGError) -> PGValue {
        guard column >= 0, column < storage.columnOIDs.count else {
            throw PGError(.decoding, "column \(column) is out of range")
        }
        if isNull(column) { return .null }
        switch storage.columnOIDs[column] {
        case PGTypeOID.int2, PGTypeOID.int4, PGTypeOID.int8, PGTypeOID.oid: return .int64(Int64(try int(column)))
        case PGTypeOID.float4, PGTypeOID.float8: return .double(try double(column))
        case PGTypeOID.bool: return .bool(try bool(column))
        case PGTypeOID.bytea: return .bytea(try bytes(column))
        case PGTypeOID.timestamptz, PGTypeOID.timestamp, PGTypeOID.date: return .timestamptz(try date(column))
        case PGTypeOID.uuid: return .uuid(try uuid(column))
        case PGTypeOID.jsonb: return .jsonb(try string(column))
        case PGTypeOID.textArray, PGTypeOID.varcharArray: return .textArray(try stringArray(column))
        case PGTypeOID.int2Array, PGTypeOID.int4Array, PGTypeOID.int8Array: return .int64Array(try int64Array(column))
        default: return .text(try string(column))
        }
    }

    /// The value of the first column called `column` as a ``PGValue`` (see ``value(_:)-(Int)``).
    public func value(_ column: String) throws(PGError) -> PGValue { try value(columnIndex(column)) }
}
