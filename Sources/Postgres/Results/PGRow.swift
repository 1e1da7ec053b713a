import Foundation

/// One row of a ``PGResult``. Getters decode the binary value by the column's type OID and throw
/// ``PGError/Code/decoding`` on a type mismatch, a missing column or an unexpected NULL.
///
/// `numeric` columns decode through ``string(_:)-(String)`` (exact decimal text) or ``double(_:)-(String)``;
/// other types without a getter should be cast in SQL (`::text`, `::float8`).
public struct PGRow: Sendable {
    let storage: PGResultStorage
    /// The row's 0-based position in its result.
    public let index: Int

    init(storage: PGResultStorage, index: Int) {
        self.storage = storage
        self.index = index
    }

    /// Column names in order.
    public var columnNames: [String] { storage.columnNames }

    // MARK: - Column lookup and raw access

    /// The 0-based index of the first column called `column`.
    public func columnIndex(_ column: String) throws(PGError) -> Int {
        guard let index = storage.index(of: column) else {
            throw PGError(.decoding, "the result has no column named \(column)")
        }
        return index
    }

    /// True when the value is NULL (or the column does not exist).
    public func isNull(_ column: String) -> Bool {
        guard let index = storage.index(of: column) else { return true }
        return storage.isNull(row: self.index, column: index)
    }

    /// True when the value is NULL (or the column does not exist).
    public func isNull(_ column: Int) -> Bool { storage.isNull(row: index, column: column) }

    private func decode<T>(
        _ column: Int, _ decoder: (UnsafeRawBufferPointer, UInt32) throws(PGError) -> T
    ) throws(PGError) -> T? {
        let oids = storage.columnOIDs
        return try storage.withValue(row: index, column: column) { (bytes) throws(PGError) -> T? in
            guard let bytes else { return nil }
            do throws(PGError) {
                return try decoder(bytes, oids[column])
            } catch {
                var error = error
                error.reason = "column \(storage.columnNames[column]): \(error.reason)"
                throw error
            }
        }
    }

    private func required<T>(_ column: Int, _ value: T?) throws(PGError) -> T {
        guard let value else {
            throw PGError(.decoding, "column \(storage.columnNames[column]) is NULL but a value was expected")
        }
        return value
    }

    // MARK: - Getters by index
    // Same decoding as the getters by name below; `column` is the 0-based column index.

    public func optionalInt(_ column: Int) throws(PGError) -> Int? { try decode(column, PGBinaryDecoder.int) }
    public func int(_ column: Int) throws(PGError) -> Int { try required(column, optionalInt(column)) }
    public func optionalString(_ column: Int) throws(PGError) -> String? { try decode(column, PGBinaryDecoder.string) }
    public func string(_ column: Int) throws(PGError) -> String { try required(column, optionalString(column)) }
    public func optionalBytes(_ column: Int) throws(PGError) -> [UInt8]? { try decode(column, PGBinaryDecoder.bytes) }
    public func bytes(_ column: Int) throws(PGError) -> [UInt8] { try required(column, optionalBytes(column)) }
    public func optionalBool(_ column: Int) throws(PGError) -> Bool? { try decode(column, PGBinaryDecoder.bool) }
    public func bool(_ column: Int) throws(PGError) -> Bool { try required(column, optionalBool(column)) }
    public func optionalDate(_ column: Int) throws(PGError) -> Date? { try decode(column, PGBinaryDecoder.date) }
    public func date(_ column: Int) throws(PGError) -> Date { try required(column, optionalDate(column)) }
    public func optionalDouble(_ column: Int) throws(PGError) -> Double? { try decode(column, PGBinaryDecoder.double) }
    public func double(_ column: Int) throws(PGError) -> Double { try required(column, optionalDouble(column)) }
    public func optionalUUID(_ column: Int) throws(PGError) -> UUID? { try decode(column, PGBinaryDecoder.uuid) }
    public func uuid(_ column: Int) throws(PGError) -> UUID { try required(column, optionalUUID(column)) }

    /// A one-dimensional text-like array (`text[]`, `varchar[]`, …); NULL elements are an error.
    public func stringArray(_ column: Int) throws(PGError) -> [String] {
        try required(column, decode(column) { (bytes, _) throws(PGError) -> [String] in
            let (elementOID, elements) = try PGBinaryDecoder.arrayElements(bytes, oid: 0)
            var values: [String] = []
            for element in elements {
                guard let element else { throw PGError(.decoding, "array has a NULL element") }
                values.append(try PGBinaryDecoder.string(element, oid: elementOID))
            }
            return values
        })
    }

    /// A one-dimensional integer array (`int2[]`, `int4[]`, `int8[]`); NULL elements are an error.
    public func int64Array(_ column: Int) throws(PGError) -> [Int64] {
        try required(column, decode(column) { (bytes, _) throws(PGError) -> [Int64] in
            let (elementOID, elements) = try PGBinaryDecoder.arrayElements(bytes, oid: 0)
            var values: [Int64] = []
            for element in elements {
                guard let element else { throw PGError(.decoding, "array has a NULL element") }
                values.append(Int64(try PGBinaryDecoder.int(element, oid: elementOID)))
            }
            return values
        })
    }

    // MARK: - Getters by name

    /// An integer column (int2/int4/int8/oid).
    public func int(_ column: String) throws(PGError) -> Int { try int(columnIndex(column)) }
    public func optionalInt(_ column: String) throws(PGError) -> Int? { try optionalInt(columnIndex(column)) }
    /// A text-like column (text/varchar/char/name/json/jsonb/xml), a uuid (lowercase text) or a numeric (decimal text).
    public func string(_ column: String) throws(PGError) -> String { try string(columnIndex(column)) }
    public func optionalString(_ column: String) throws(PGError) -> String? { try optionalString(columnIndex(column)) }
    /// A `bytea` column, byte for byte.
    public func bytes(_ column: String) throws(PGError) -> [UInt8] { try bytes(columnIndex(column)) }
    public func optionalBytes(_ column: String) throws(PGError) -> [UInt8]? { try optionalBytes(columnIndex(column)) }
    public func bool(_ column: String) throws(PGError) -> Bool { try bool(columnIndex(column)) }
    public func optionalBool(_ column: String) throws(PGError) -> Bool? { try optionalBool(columnIndex(column)) }
    /// A `timestamptz`, `timestamp` (read as UTC) or `date` column; ±infinity map to `Date.distantFuture/Past`.
    public func date(_ column: String) throws(PGError) -> Date { try date(columnIndex(column)) }
    public func optionalDate(_ column: String) throws(PGError) -> Date? { try optionalDate(columnIndex(column)) }
    /// A float4/float8 column; integers and numeric are converted too.
    public func double(_ column: String) throws(PGError) -> Double { try double(columnIndex(column)) }
    public func optionalDouble(_ column: String) throws(PGError) -> Double? { try optionalDouble(columnIndex(column)) }
    /// A `uuid` column (or text holding a UUID).
    public func uuid(_ column: String) throws(PGError) -> UUID { try uuid(columnIndex(column)) }
    public func optionalUUID(_ column: String) throws(PGError) -> UUID? { try optionalUUID(columnIndex(column)) }
    /// A one-dimensional `text[]`/`varchar[]` column.
    public func stringArray(_ column: String) throws(PGError) -> [String] { try stringArray(columnIndex(column)) }
    /// A one-dimensional `int2[]`/`int4[]`/`int8[]` column.
    public func int64Array(_ column: String) throws(PGError) -> [Int64] { try int64Array(columnIndex(column)) }
}
