/// Where one object number lives according to a cross-reference section.
public enum PDFXRefEntry: Hashable, Sendable {
    /// Free (deleted) with the generation a reuse would get.
    case free(nextGeneration: Int)
    /// Stored uncompressed at a byte offset.
    case offset(Int, generation: Int)
    /// Stored inside an object stream, at an index.
    case compressed(streamNumber: Int, index: Int)
}
