/// The output a decoder may still produce for one stream (size limit and zip-bomb ratio).
struct DecodeBudget {
    let maxBytes: Int
    let encodedBytes: Int
    let limits: PDFLimits

    init(encodedBytes: Int, limits: PDFLimits) {
        self.maxBytes = limits.maxStreamDecodedBytes
        self.encodedBytes = max(encodedBytes, 1)
        self.limits = limits
    }

    /// Throws when `produced` bytes exceed the size limit or the ratio limit.
    @inline(__always) func check(_ produced: Int) throws(PDFError) {
        if produced > maxBytes {
            throw PDFError(.limitExceeded, "stream decodes to more than \(maxBytes) bytes")
        }
        if produced > limits.ratioCheckThresholdBytes, produced / encodedBytes > limits.maxDecompressionRatio {
            throw PDFError(.limitExceeded, "stream decompression ratio above \(limits.maxDecompressionRatio):1")
        }
    }
}
