import SealCompression

/// A read-only view of a ZIP container: its entries and their bytes.
///
/// Reads the central directory (with ZIP64 sizes and offsets), checks every local header against it, and
/// enforces ``OFDPackageLimits`` before inflating anything.
public struct ZipArchive: Sendable {
    /// The archive bytes as given.
    public let bytes: [UInt8]
    /// Entries in central-directory order.
    public let entries: [ZipEntry]
    public let limits: OFDPackageLimits
    private let index: [String: Int]
    private let lowercasedIndex: [String: Int]

    /// Parses the container structure (not the entry contents).
    ///
    /// - Throws: ``OFDError`` with `notAZip`, `corruptZip`, `tooManyEntries`, `entryTooLarge`,
    ///   `suspiciousCompressionRatio`, `unsafeEntryName` or `duplicateEntry`.
    public init(_ bytes: [UInt8], limits: OFDPackageLimits = .standard) throws(OFDError) {
        self.bytes = bytes
        self.limits = limits
        let directory = try Self.locateCentralDirectory(bytes)
        guard directory.count <= limits.maxEntries else {
            throw OFDError(.tooManyEntries, "the package lists \(directory.count) entries (limit \(limits.maxEntries))")
        }
        var entries: [ZipEntry] = []
        entries.reserveCapacity(directory.count)
        var offset = directory.offset
        var total = 0
        for _ in 0..<directory.count {
            let entry = try Self.readCentralRecord(bytes, at: &offset, shift: directory.shift)
            try Self.checkLimits(entry, limits: limits, total: &total)
            entries.append(entry)
        }
        try Self.checkNoOverlap(entries)
        var index: [String: Int] = [:]
        var lowercased: [String: Int] = [:]
        for (position, entry) in entries.enumerated() where !entry.isDirectory {
            if index[entry.path] != nil {
                throw OFDError(.duplicateEntry, "the package holds two entries named \(entry.path)")
            }
            index[entry.path] = position
            if lowercased[entry.path.lowercased()] == nil { lowercased[entry.path.lowercased()] = position }
        }
        self.entries = entries
        self.index = index
        self.lowercasedIndex = lowercased
    }

    /// The entry at a package path, matching exactly first and then ignoring ASCII case (as Windows-made
    /// packages need). Directories are not returned.
    public func entry(_ path: String) -> ZipEntry? {
        if let position = index[path] { return entries[position] }
        if let position = lowercasedIndex[path.lowercased()] { return entries[position] }
        return nil
    }

    /// Paths of every file (not directory) in the package, in archive order.
    public var filePaths: [String] { entries.filter { !$0.isDirectory }.map(\.path) }

    /// The uncompressed bytes of an entry, CRC-checked.
    public func contents(of entry: ZipEntry) throws(OFDError) -> [UInt8] {
        guard entry.flags & 0x1 == 0 else {
            throw OFDError(.unsupportedCompression, "\(entry.path) is encrypted, which OFD packages never are")
        }
        let data = bytes[entry.dataOffset..<(entry.dataOffset + entry.compressedSize)]
        let output: [UInt8]
        switch entry.method {
        case 0:
            output = Array(data)
        case 8:
            do {
                // The directory's size is the limit (checked against the package limits when the directory was
                // read), so a lying directory can never make this allocate more.
                output = try Zlib.inflate(
                    data, format: .raw, outputLimit: entry.uncompressedSize, sizeHint: entry.uncompressedSize)
            } catch where error.code == .outputLimitExceeded {
                throw OFDError(.entryTooLarge, "\(entry.path) inflates beyond its declared size")
            } catch {
                throw OFDError(.corruptZip, "\(entry.path) has compressed data that is corrupt or ends early")
            }
        default:
            throw OFDError(.unsupportedCompression, "\(entry.path) uses compression method \(entry.method)")
        }
        guard output.count == entry.uncompressedSize else {
            throw OFDError(.corruptZip, "\(entry.path) inflates to a different size than the directory says")
        }
        guard Zlib.crc32(output) == entry.crc32 else {
            throw OFDError(.checksumMismatch, "the CRC-32 of \(entry.path) does not match its data")
        }
        return output
    }

    /// The uncompressed bytes of the file at a package path.
    public func contents(of path: String) throws(OFDError) -> [UInt8] {
        guard let entry = entry(path) else { throw OFDError(.missingFile, "the package has no file \(path)") }
        return try contents(of: entry)
    }

    /// The complete local record (header, compressed data, descriptor) of an entry, for verbatim copying.
    func localRecord(of entry: ZipEntry) -> ArraySlice<UInt8> {
        bytes[entry.localHeaderOffset..<entry.recordEnd]
    }

    // MARK: - Structure

    /// Where the central directory starts, how many records it has, and by how much every stored offset is off
    /// (bytes prepended to the archive, e.g. a self-extractor stub, push everything back by the same amount).
    private static func locateCentralDirectory(_ bytes: [UInt8]) throws(OFDError) -> (offset: Int, count: Int, shift: Int) {
        guard bytes.count >= 22 else { throw OFDError(.notAZip, "the input is too short to be a ZIP container") }
        let lowest = max(0, bytes.count - 22 - 65_535)
        var position = bytes.count - 22
        var eocd: Int?
        while position >= lowest {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4B, bytes[position + 2] == 5, bytes[position + 3] == 6 {
                eocd = position
                break
            }
            position -= 1
        }
        guard let eocd else { throw OFDError(.notAZip, "no end-of-central-directory record: not a ZIP container") }
        var count = LittleEndian.u16(bytes, eocd + 10)!
        var size = LittleEndian.u32(bytes, eocd + 12)!
        var offset = LittleEndian.u32(bytes, eocd + 16)!
        if count == 0xFFFF || offset == 0xFFFF_FFFF || size == 0xFFFF_FFFF {
            // ZIP64 end-of-central-directory locator sits right before the classic record.
            let locator = eocd - 20
            guard LittleEndian.u32(bytes, locator) == 0x0706_4B50, let zip64 = LittleEndian.u64(bytes, locator + 8),
                LittleEndian.u32(bytes, zip64) == 0x0606_4B50,
                let count64 = LittleEndian.u64(bytes, zip64 + 32), let size64 = LittleEndian.u64(bytes, zip64 + 40),
                let offset64 = LittleEndian.u64(bytes, zip64 + 48)
            else { throw OFDError(.corruptZip, "the ZIP64 end-of-central-directory record is missing or damaged") }
            count = count64
            size = size64
            offset = offset64
        }
        guard offset >= 0, size >= 0, offset <= bytes.count, offset + size <= bytes.count else {
            throw OFDError(.corruptZip, "the central directory lies outside the file")
        }
        guard count <= size / 46 + 1 else { throw OFDError(.corruptZip, "the central directory is too small") }
        var shift = 0
        if LittleEndian.u32(bytes, offset) != 0x0201_4B50, count > 0, eocd - size > offset,
            LittleEndian.u32(bytes, eocd - size) == 0x0201_4B50
        {
            shift = eocd - size - offset
        }
        return (offset + shift, count, shift)
    }

    private static func readCentralRecord(_ bytes: [UInt8], at offset: inout Int, shift: Int) throws(OFDError)
        -> ZipEntry
    {
        guard LittleEndian.u32(bytes, offset) == 0x0201_4B50, let flags = LittleEndian.u16(bytes, offset + 8),
            let method = LittleEndian.u16(bytes, offset + 10), let time = LittleEndian.u16(bytes, offset + 12),
            let date = LittleEndian.u16(bytes, offset + 14), let crc = LittleEndian.u32(bytes, offset + 16),
            var compressed = LittleEndian.u32(bytes, offset + 20),
            var uncompressed = LittleEndian.u32(bytes, offset + 24),
            let nameLength = LittleEndian.u16(bytes, offset + 28), let extraLength = LittleEndian.u16(bytes, offset + 30),
            let commentLength = LittleEndian.u16(bytes, offset + 32),
            let external = LittleEndian.u32(bytes, offset + 38), var local = LittleEndian.u32(bytes, offset + 42),
            let needed = LittleEndian.u16(bytes, offset + 6)
        else { throw OFDError(.corruptZip, "a central directory record is damaged") }
        let nameStart = offset + 46
        let extraStart = nameStart + nameLength
        let end = extraStart + extraLength + commentLength
        guard end <= bytes.count else { throw OFDError(.corruptZip, "a central directory record runs past the end") }
        let rawName = Array(bytes[nameStart..<extraStart])
        // ZIP64 extended information: only the fields that are saturated in the record are present, in order.
        var extra = extraStart
        while extra + 4 <= extraStart + extraLength {
            let id = LittleEndian.u16(bytes, extra)!
            let length = LittleEndian.u16(bytes, extra + 2)!
            if id == 0x0001 {
                var field = extra + 4
                if uncompressed == 0xFFFF_FFFF, let value = LittleEndian.u64(bytes, field) { uncompressed = value; field += 8 }
                if compressed == 0xFFFF_FFFF, let value = LittleEndian.u64(bytes, field) { compressed = value; field += 8 }
                if local == 0xFFFF_FFFF, let value = LittleEndian.u64(bytes, field) { local = value }
            }
            extra += 4 + length
        }
        offset = end
        local += shift
        let decoded = EntryName.decode(rawName, utf8Flag: flags & 0x800 != 0)
        let path = try EntryName.normalize(decoded)
        let isDirectory = path.hasSuffix("/") || path.isEmpty
        // The local header: its own name and extra lengths decide where the data starts.
        guard LittleEndian.u32(bytes, local) == 0x0403_4B50, let localName = LittleEndian.u16(bytes, local + 26),
            let localExtra = LittleEndian.u16(bytes, local + 28)
        else { throw OFDError(.corruptZip, "the local header of \(path) is missing") }
        let dataOffset = local + 30 + localName + localExtra
        guard compressed >= 0, dataOffset + compressed <= bytes.count else {
            throw OFDError(.corruptZip, "the data of \(path) runs past the end of the file")
        }
        var recordEnd = dataOffset + compressed
        if flags & 0x8 != 0 {
            // Data descriptor: optional signature, CRC, then 4- or 8-byte sizes.
            var descriptor = recordEnd
            if LittleEndian.u32(bytes, descriptor) == 0x0807_4B50 { descriptor += 4 }
            let wide = compressed >= 0xFFFF_FFFF || uncompressed >= 0xFFFF_FFFF
            descriptor += 4 + (wide ? 16 : 8)
            recordEnd = min(descriptor, bytes.count)
        }
        return ZipEntry(
            path: path, rawName: rawName, isDirectory: isDirectory, method: method, flags: flags,
            crc32: UInt32(crc), compressedSize: compressed, uncompressedSize: uncompressed, modTime: time,
            modDate: date, versionNeeded: needed, externalAttributes: external, localHeaderOffset: local,
            dataOffset: dataOffset, recordEnd: recordEnd)
    }

    private static func checkLimits(_ entry: ZipEntry, limits: OFDPackageLimits, total: inout Int) throws(OFDError) {
        guard entry.uncompressedSize <= limits.maxEntryBytes else {
            throw OFDError(.entryTooLarge, "\(entry.path) would inflate to \(entry.uncompressedSize) bytes")
        }
        total += entry.uncompressedSize
        guard total <= limits.maxTotalBytes else {
            throw OFDError(.entryTooLarge, "the package would inflate beyond \(limits.maxTotalBytes) bytes")
        }
        if entry.uncompressedSize > limits.ratioThresholdBytes,
            entry.uncompressedSize / max(entry.compressedSize, 1) > limits.maxCompressionRatio
        {
            throw OFDError(
                .suspiciousCompressionRatio,
                "\(entry.path) claims a compression ratio above \(limits.maxCompressionRatio):1 (zip bomb)")
        }
        if entry.method == 0 && entry.compressedSize != entry.uncompressedSize && !entry.isDirectory {
            throw OFDError(.corruptZip, "the stored entry \(entry.path) has different compressed and real sizes")
        }
    }

    /// Overlapping local records are how "quoted" zip bombs multiply one deflate stream; real packages never
    /// share bytes between entries.
    private static func checkNoOverlap(_ entries: [ZipEntry]) throws(OFDError) {
        let sorted = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        for (previous, next) in zip(sorted, sorted.dropFirst())
        where previous.dataOffset + previous.compressedSize > next.localHeaderOffset {
            throw OFDError(.corruptZip, "the entries \(previous.path) and \(next.path) overlap")
        }
    }
}
