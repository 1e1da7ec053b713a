/// One page of the flattened page tree, with inherited attributes resolved.
public struct PDFPage: Hashable, Sendable {
    /// The page object's reference.
    public var ref: PDFReference
    /// The page dictionary as stored (inherited keys are not copied in; see the properties below).
    public var dictionary: PDFDictionary
    /// The effective `/MediaBox` (inherited; US Letter when missing everywhere).
    public var mediaBox: PDFRect
    /// The effective `/CropBox` (inherited; defaults to the media box, clipped to it).
    public var cropBox: PDFRect
    /// The effective `/Rotate` normalised to 0, 90, 180 or 270.
    public var rotate: Int
    /// The effective `/Resources` (possibly a reference; nil when missing everywhere).
    public var resources: PDFObject?

    /// Creates a page value.
    public init(
        ref: PDFReference, dictionary: PDFDictionary, mediaBox: PDFRect, cropBox: PDFRect, rotate: Int,
        resources: PDFObject?
    ) {
        self.ref = ref
        self.dictionary = dictionary
        self.mediaBox = mediaBox
        self.cropBox = cropBox
        self.rotate = rotate
        self.resources = resources
    }
}
