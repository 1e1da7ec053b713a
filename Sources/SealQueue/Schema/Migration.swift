/// One versioned, forward-only schema change in the `sealpress` schema.
///
/// Migrations run in version order, each in its own transaction, under an advisory lock so concurrent
/// `sealpress migrate` runs (or workers started with `--migrate`) never race. Applied versions are recorded in
/// `sealpress.schema_migrations`; running the migrator again is a no-op.
public struct Migration: Sendable, Hashable {
    /// Strictly increasing version number.
    public var version: Int
    /// A short human description, recorded beside the version.
    public var name: String
    /// The SQL, executed as one multi-statement script inside the migration's transaction.
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Every migration this build knows, in order. Later modules (the stamping pipeline) append here.
    public static let all: [Migration] = [.v1Queue, .v2BatchDeltas, .v3ErrorCodes, .v4Limits, .v5OperatorControls, .v6OutputsExtendInput,
                                          .v7ClaimWithoutSeqScans, .v8OutputHashFromWorker]
}
