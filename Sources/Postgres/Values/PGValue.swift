import Foundation

/// A statement parameter, sent to the server in PostgreSQL's binary format with an explicit type OID.
///
/// Binary parameters round-trip `bytea` byte for byte and skip server-side text parsing, so large
/// documents cost their own size on the wire (hex text would double it).
public enum PGValue: Sendable, Hashable {
    /// SQL NULL (the server infers the type from the statement).
    case null
    case bool(Bool)
    case int16(Int16)
    case int32(Int32)
    case int64(Int64)
    /// `float8`.
    case double(Double)
    /// `text`; PostgreSQL rejects NUL characters in text.
    case text(String)
    case bytea([UInt8])
    /// `timestamptz`, microsecond precision.
    case timestamptz(Date)
    case uuid(UUID)
    /// `jsonb` given as JSON text (the server validates it).
    case jsonb(String)
    /// `text[]`, one-dimensional.
    case textArray([String])
    /// `int8[]`, one-dimensional.
    case int64Array([Int64])
}

// MARK: - Convenience constructors

extension PGValue {
    /// An `int8` parameter from a Swift `Int`.
    public static func int(_ value: Int) -> PGValue { .int64(Int64(value)) }

    /// `text`, or NULL when `value` is nil.
    public static func optionalText(_ value: String?) -> PGValue { value.map(PGValue.text) ?? .null }

    /// `int8`, or NULL when `value` is nil.
    public static func optionalInt(_ value: Int?) -> PGValue { value.map { .int64(Int64($0)) } ?? .null }

    /// `bytea`, or NULL when `value` is nil.
    public static func optionalBytea(_ value: [UInt8]?) -> PGValue { value.map(PGValue.bytea) ?? .null }

    /// `timestamptz`, or NULL when `value` is nil.
    public static func optionalTimestamptz(_ value: Date?) -> PGValue { value.map(PGValue.timestamptz) ?? .null }

    /// `uuid`, or NULL when `value` is nil.
    public static func optionalUUID(_ value: UUID?) -> PGValue { value.map(PGValue.uuid) ?? .null }

    /// `bytea` from `Data`.
    public static func bytea(_ data: Data) -> PGValue { .bytea([UInt8](data)) }
}

// MARK: - Literals

extension PGValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int64(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
}
