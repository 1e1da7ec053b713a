/// The result of ``PDFIncrementalUpdate/write()``: the original bytes followed by one appended update.
///
/// The original is shared, not copied; ``bytes`` concatenates on demand. A signer patches its placeholders in
/// ``appended`` (same length) using ``objectRanges`` and then streams `original` + `appended` to the digest and
/// to the output.
public struct PDFWrittenUpdate: Sendable {
    /// The input file, unchanged.
    public let original: [UInt8]
    /// The update: new and replaced objects, the cross-reference section, trailer, `startxref`, `%%EOF`.
    public var appended: [UInt8]
    /// Where each new or replaced object (`N G obj` … `endobj`) sits, as offsets in the whole output file.
    public let objectRanges: [PDFReference: Range<Int>]
    /// Offset of the new cross-reference section (the new `startxref`).
    public let xrefOffset: Int

    /// The whole output file (original + appended); this copies.
    public var bytes: [UInt8] { original + appended }

    /// Total output size.
    public var count: Int { original.count + appended.count }

    /// Overwrites bytes at an absolute output offset inside the appended part (same length).
    ///
    /// - Throws: ``PDFError/Code/invalidArgument`` when the range touches the original bytes or the end.
    public mutating func patch(at offset: Int, with replacement: [UInt8]) throws(PDFError) {
        let start = offset - original.count
        guard start >= 0, start + replacement.count <= appended.count else {
            throw PDFError(.invalidArgument, "patch outside the appended update")
        }
        appended.replaceSubrange(start..<(start + replacement.count), with: replacement)
    }
}
