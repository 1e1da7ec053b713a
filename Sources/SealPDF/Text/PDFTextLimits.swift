/// Bounds on the work the text engine does for one page, so hostile content ends in a ``PDFError`` with code
/// `.limitExceeded` instead of a hang or a crash.
public struct PDFTextLimits: Sendable, Hashable {
    /// Most content-stream operators interpreted for one page, Form XObjects included.
    public var maxOperators: Int
    /// Most decoded content bytes (page contents plus every Form XObject invocation) for one page.
    public var maxContentBytes: Int
    /// Deepest nesting of Form XObjects (`Do` inside a form's own content).
    public var maxFormDepth: Int
    /// Deepest `q` nesting tracked (deeper saves are counted but not stored).
    public var maxGraphicsStateDepth: Int
    /// Most mappings (single codes plus ranges) one CMap may define.
    public var maxCMapEntries: Int
    /// Most glyphs collected for one page.
    public var maxGlyphs: Int
    /// Most operands one operator may take (longer runs are dropped, as a viewer would).
    public var maxOperands: Int

    /// Creates limits; the defaults cover any real document with a wide margin.
    public init(
        maxOperators: Int = 4_000_000, maxContentBytes: Int = 256 << 20, maxFormDepth: Int = 16,
        maxGraphicsStateDepth: Int = 256, maxCMapEntries: Int = 200_000, maxGlyphs: Int = 2_000_000,
        maxOperands: Int = 64
    ) {
        self.maxOperators = maxOperators
        self.maxContentBytes = maxContentBytes
        self.maxFormDepth = maxFormDepth
        self.maxGraphicsStateDepth = maxGraphicsStateDepth
        self.maxCMapEntries = maxCMapEntries
        self.maxGlyphs = maxGlyphs
        self.maxOperands = maxOperands
    }
}
