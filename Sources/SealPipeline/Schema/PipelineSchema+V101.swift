public import SealQueue

extension PipelineSchema {
    /// Migration 101: the usage-log chain's canonical encoding, inlinable.
    ///
    /// `sealpress.usage_field` and `sealpress.usage_canonical` were declared IMMUTABLE while their bodies call
    /// `convert_to` (STABLE), and PostgreSQL refuses to inline such SQL functions: every usage row then ran
    /// `usage_canonical` as a separately planned query and `usage_field` thirteen times (≈ 0.3 ms per row, inside
    /// the chain's serialising lock). Declared STABLE — what they are — both inline into the trigger's expression.
    /// The bytes they produce are unchanged, so existing chains stay valid.
    public static let inlinableChainEncoding = Migration(
        version: 101, name: "usage chain encoding inlinable (STABLE)", sql: """
            ALTER FUNCTION sealpress.usage_field(text) STABLE;
            ALTER FUNCTION sealpress.usage_canonical(sealpress.usage_log) STABLE;
            """)
}
