/// Bounds on what a package may hold, so that hostile inputs (zip bombs, huge XML) fail fast with a typed error.
public struct OFDPackageLimits: Sendable, Hashable {
    /// Most entries a package may list.
    public var maxEntries: Int
    /// Largest uncompressed size of any one entry, in bytes.
    public var maxEntryBytes: Int
    /// Largest uncompressed size of all entries together, in bytes.
    public var maxTotalBytes: Int
    /// Largest ratio of uncompressed to compressed size for entries above `ratioThresholdBytes`.
    public var maxCompressionRatio: Int
    /// Entries smaller than this are never judged by their ratio (tiny XML files compress very well).
    public var ratioThresholdBytes: Int
    /// Largest XML file the engine parses, in bytes.
    public var maxXMLBytes: Int

    public init(
        maxEntries: Int = 20_000, maxEntryBytes: Int = 512 << 20, maxTotalBytes: Int = 2 << 30,
        maxCompressionRatio: Int = 200, ratioThresholdBytes: Int = 1 << 20, maxXMLBytes: Int = 32 << 20
    ) {
        self.maxEntries = maxEntries
        self.maxEntryBytes = maxEntryBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioThresholdBytes = ratioThresholdBytes
        self.maxXMLBytes = maxXMLBytes
    }

    /// Limits suited to documents from back-office systems.
    public static let standard = OFDPackageLimits()
}
