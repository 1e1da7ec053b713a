/// One file of a ZIP container, as its central directory describes it.
///
/// The entry remembers where its complete local record (header, data, data descriptor) lies in the original
/// bytes, so that a writer can copy it verbatim.
public struct ZipEntry: Sendable, Hashable {
    /// The normalised package path (forward slashes, no leading slash), e.g. `Doc_0/Document.xml`.
    public var path: String
    /// The name exactly as stored.
    public var rawName: [UInt8]
    public var isDirectory: Bool
    /// 0 stored, 8 deflated.
    public var method: Int
    public var flags: Int
    public var crc32: UInt32
    public var compressedSize: Int
    public var uncompressedSize: Int
    public var modTime: Int
    public var modDate: Int
    public var versionNeeded: Int
    public var externalAttributes: Int
    /// Start of the local header in the archive.
    var localHeaderOffset: Int
    /// Start of the compressed data in the archive.
    var dataOffset: Int
    /// End (exclusive) of the local record: data plus any data descriptor.
    var recordEnd: Int
}
