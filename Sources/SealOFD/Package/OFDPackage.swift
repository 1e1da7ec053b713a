/// An OFD package: the ZIP container plus ST_Loc lookups that tolerate the layouts real producers write.
public struct OFDPackage: Sendable {
    public let archive: ZipArchive

    /// Opens the container.
    ///
    /// - Throws: ``OFDError`` for anything that is not a safe, well-formed ZIP, or when `OFD.xml` is missing.
    public init(_ bytes: [UInt8], limits: OFDPackageLimits = .standard) throws(OFDError) {
        archive = try ZipArchive(bytes, limits: limits)
        guard archive.entry("OFD.xml") != nil else {
            throw OFDError(.missingOFDXML, "the package has no OFD.xml entry point")
        }
    }

    /// Finds the file an ST_Loc refers to, or nil.
    ///
    /// Tries, in order: the location resolved against the referring file's folder (the standard), then against
    /// the package root (producers that write root paths without a leading slash), each also ignoring case.
    public func locate(_ location: String, from referringFile: String) -> String? {
        let folder = PackagePath.folder(of: referringFile)
        let relative = PackagePath.resolve(location, relativeTo: folder)
        if let entry = archive.entry(relative) { return entry.path }
        let rooted = PackagePath.resolve(location, relativeTo: "")
        if let entry = archive.entry(rooted) { return entry.path }
        // Some producers percent-encode non-ASCII names in ST_Locs.
        if location.contains("%"), let decoded = Self.percentDecoded(location), decoded != location {
            return locate(decoded, from: referringFile)
        }
        return nil
    }

    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Like ``locate(_:from:)`` but throws `missingFile` naming what was looked for.
    public func require(_ location: String, from referringFile: String) throws(OFDError) -> String {
        guard let path = locate(location, from: referringFile) else {
            throw OFDError(.missingFile, "the package has no file at \(location) (referred to by \(referringFile))")
        }
        return path
    }

    /// The bytes of a file.
    public func read(_ path: String) throws(OFDError) -> [UInt8] { try archive.contents(of: path) }

    /// A parsed XML file.
    public func xml(_ path: String) throws(OFDError) -> XMLElement {
        guard let entry = archive.entry(path) else { throw OFDError(.missingFile, "the package has no file \(path)") }
        guard entry.uncompressedSize <= archive.limits.maxXMLBytes else {
            throw OFDError(.xmlTooLarge, "\(path) is \(entry.uncompressedSize) bytes, above the XML limit")
        }
        return try OFDXMLParser.parse(archive.contents(of: entry), limits: archive.limits)
    }
}
