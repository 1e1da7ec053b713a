/// Bounds that keep hostile input from exhausting memory or time.
public struct PDFLimits: Sendable, Hashable {
    /// Deepest nesting of arrays/dictionaries, and of reference chains while resolving.
    public var maxDepth: Int
    /// Most objects a cross-reference section (or a repair scan) may declare.
    public var maxObjectCount: Int
    /// Largest decoded size of one stream, in bytes.
    public var maxStreamDecodedBytes: Int
    /// Largest ratio decoded/encoded size of one stream, checked once the output passes
    /// ``ratioCheckThresholdBytes`` (zip-bomb guard).
    public var maxDecompressionRatio: Int
    /// Output size from which the ratio limit applies.
    public var ratioCheckThresholdBytes: Int
    /// Largest input file, in bytes.
    public var maxFileBytes: Int
    /// Most revisions (cross-reference sections) followed through `/Prev`.
    public var maxRevisions: Int
    /// Total bytes the parser may walk for one document, as a multiple of the file size, plus
    /// ``parseWorkAllowanceBytes``: stops overlapping-object files from making lazy loads quadratic.
    public var parseWorkFactor: Int
    /// Fixed part of the parse work budget (covers decoded object streams).
    public var parseWorkAllowanceBytes: Int

    /// Creates limits; the defaults suit documents up to a few hundred megabytes.
    public init(
        maxDepth: Int = 256, maxObjectCount: Int = 8_000_000, maxStreamDecodedBytes: Int = 512 << 20,
        maxDecompressionRatio: Int = 500, ratioCheckThresholdBytes: Int = 16 << 20, maxFileBytes: Int = 4 << 30,
        maxRevisions: Int = 4_096, parseWorkFactor: Int = 16, parseWorkAllowanceBytes: Int = 256 << 20
    ) {
        self.maxDepth = maxDepth
        self.maxObjectCount = maxObjectCount
        self.maxStreamDecodedBytes = maxStreamDecodedBytes
        self.maxDecompressionRatio = maxDecompressionRatio
        self.ratioCheckThresholdBytes = ratioCheckThresholdBytes
        self.maxFileBytes = maxFileBytes
        self.maxRevisions = maxRevisions
        self.parseWorkFactor = parseWorkFactor
        self.parseWorkAllowanceBytes = parseWorkAllowanceBytes
    }
}
