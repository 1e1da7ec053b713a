/// The inflated files of one package, each inflated (and CRC-checked) at most once.
///
/// One stamp reads the same files twice: OFD.xml, Document.xml, the placed page's content and the earlier
/// signatures' files are parsed, and then every file is hashed for the new signature's References. Both uses read
/// their bytes from here. Made for one operation on one package (the bytes cannot change in between) and never
/// shared across operations or threads: a batch stamps different documents.
final class OFDPackageFiles {
    let package: OFDPackage
    private let keeps: Bool
    private var contents: [String: [UInt8]] = [:]
    /// How many entries were inflated (tests check that a stamp inflates each file once).
    private(set) var inflations = 0

    /// - Parameter keeps: false reads through without keeping anything (a caller that reads each file once).
    init(_ package: OFDPackage, keeps: Bool = true) {
        self.package = package
        self.keeps = keeps
    }

    var archive: ZipArchive { package.archive }

    /// The bytes of an entry, inflated on first use.
    func contents(of entry: ZipEntry) throws(OFDError) -> [UInt8] {
        if let bytes = contents[entry.path] { return bytes }
        let bytes = try package.archive.contents(of: entry)
        inflations += 1
        if keeps { contents[entry.path] = bytes }
        return bytes
    }

    /// The bytes of the file at a package path (exact match first, then ignoring case, as ``ZipArchive/entry(_:)``).
    func read(_ path: String) throws(OFDError) -> [UInt8] {
        guard let entry = package.archive.entry(path) else {
            throw OFDError(.missingFile, "the package has no file \(path)")
        }
        return try contents(of: entry)
    }

    /// A parsed XML file, with the same size limit as ``OFDPackage/xml(_:)``.
    func xml(_ path: String) throws(OFDError) -> XMLElement {
        try OFDXMLParser.parse(xmlBytes(path), limits: package.archive.limits)
    }

    /// The first child of a file's root element with a local name, parsing the file only as far as that child
    /// (nil when the root has no such child). For a page's `Area` before its (possibly large) `Content`.
    func firstChildOfRoot(_ path: String, named name: String) throws(OFDError) -> XMLElement? {
        try OFDXMLParser.firstChildOfRoot(xmlBytes(path), named: name, limits: package.archive.limits)
    }

    private func xmlBytes(_ path: String) throws(OFDError) -> [UInt8] {
        guard let entry = package.archive.entry(path) else {
            throw OFDError(.missingFile, "the package has no file \(path)")
        }
        guard entry.uncompressedSize <= package.archive.limits.maxXMLBytes else {
            throw OFDError(.xmlTooLarge, "\(path) is \(entry.uncompressedSize) bytes, above the XML limit")
        }
        return try contents(of: entry)
    }
}
