import SealCompression

/// Writes a ZIP container from entries copied verbatim out of another archive and new files.
///
/// Copied entries keep their local header, compressed data and data descriptor byte for byte, so a file that
/// a signature protects is never re-compressed or re-serialised. Only the central directory is rebuilt.
struct ZipWriter {
    private var output: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0
    private var names: Set<String> = []

    init(reservingCapacity capacity: Int = 0) { output.reserveCapacity(capacity) }

    /// Copies an entry of `archive` unchanged.
    mutating func copy(_ entry: ZipEntry, from archive: ZipArchive) throws(OFDError) {
        try claim(entry.path)
        let offset = output.count
        output.append(contentsOf: archive.localRecord(of: entry))
        try appendCentral(
            name: entry.rawName, flags: entry.flags, method: entry.method, time: entry.modTime, date: entry.modDate,
            crc: entry.crc32, compressed: entry.compressedSize, uncompressed: entry.uncompressedSize,
            needed: entry.versionNeeded, external: entry.externalAttributes, offset: offset)
    }

    /// Adds a new file, deflated unless it is tiny, does not shrink, or `deflate` is false (stored: for DER
    /// signatures and seals, whose signature values, certificates and PNG/JPEG pictures do not compress).
    mutating func add(path: String, contents: [UInt8], time: Int, date: Int, deflate: Bool = true) throws(OFDError) {
        try claim(path)
        let name = Array(path.utf8)
        let flags = name.contains { $0 >= 0x80 } ? 0x800 : 0
        let crc = Zlib.crc32(contents)
        var method = 0
        var data = contents
        if deflate && contents.count > 64 {
            // Level 1: the new entries are a few KB of XML and the signature value; zlib's default level spent
            // more instructions on them than the rest of the ZIP writing (callgrind, Docs/benchmarks.md).
            let deflated = Zlib.deflate(contents, format: .raw, level: 1, sizedToInput: contents.count)
            if deflated.count < contents.count {
                method = 8
                data = deflated
            }
        }
        guard data.count < 0xFFFF_FFFF, contents.count < 0xFFFF_FFFF else {
            throw OFDError(.packageTooLarge, "\(path) is too large for a plain ZIP entry")
        }
        let offset = output.count
        let needed = method == 8 ? 20 : 10
        LittleEndian.append32(0x0403_4B50, to: &output)
        LittleEndian.append16(needed, to: &output)
        LittleEndian.append16(flags, to: &output)
        LittleEndian.append16(method, to: &output)
        LittleEndian.append16(time, to: &output)
        LittleEndian.append16(date, to: &output)
        LittleEndian.append32(Int(crc), to: &output)
        LittleEndian.append32(data.count, to: &output)
        LittleEndian.append32(contents.count, to: &output)
        LittleEndian.append16(name.count, to: &output)
        LittleEndian.append16(0, to: &output)
        output.append(contentsOf: name)
        output.append(contentsOf: data)
        try appendCentral(
            name: name, flags: flags, method: method, time: time, date: date, crc: crc, compressed: data.count,
            uncompressed: contents.count, needed: needed, external: 0, offset: offset)
    }

    /// Appends the central directory and its end record and returns the archive.
    consuming func finish() throws(OFDError) -> [UInt8] {
        guard count < 0xFFFF, output.count + central.count < 0xFFFF_FFFF else {
            throw OFDError(.packageTooLarge, "the package needs ZIP64, which this writer does not produce")
        }
        let directoryOffset = output.count
        output.append(contentsOf: central)
        LittleEndian.append32(0x0605_4B50, to: &output)
        LittleEndian.append16(0, to: &output)
        LittleEndian.append16(0, to: &output)
        LittleEndian.append16(count, to: &output)
        LittleEndian.append16(count, to: &output)
        LittleEndian.append32(central.count, to: &output)
        LittleEndian.append32(directoryOffset, to: &output)
        LittleEndian.append16(0, to: &output)
        return output
    }

    private mutating func claim(_ path: String) throws(OFDError) {
        guard names.insert(path).inserted else {
            throw OFDError(.duplicateEntry, "the package would hold two entries named \(path)")
        }
    }

    private mutating func appendCentral(
        name: [UInt8], flags: Int, method: Int, time: Int, date: Int, crc: UInt32, compressed: Int,
        uncompressed: Int, needed: Int, external: Int, offset: Int
    ) throws(OFDError) {
        // Sizes and offsets that need ZIP64 go into a ZIP64 extra field, as the reader expects.
        var extra: [UInt8] = []
        var zip64: [UInt8] = []
        let uncompressedField = uncompressed >= 0xFFFF_FFFF ? 0xFFFF_FFFF : uncompressed
        let compressedField = compressed >= 0xFFFF_FFFF ? 0xFFFF_FFFF : compressed
        let offsetField = offset >= 0xFFFF_FFFF ? 0xFFFF_FFFF : offset
        if uncompressedField == 0xFFFF_FFFF { appendU64(uncompressed, to: &zip64) }
        if compressedField == 0xFFFF_FFFF { appendU64(compressed, to: &zip64) }
        if offsetField == 0xFFFF_FFFF { appendU64(offset, to: &zip64) }
        if !zip64.isEmpty {
            LittleEndian.append16(1, to: &extra)
            LittleEndian.append16(zip64.count, to: &extra)
            extra.append(contentsOf: zip64)
        }
        LittleEndian.append32(0x0201_4B50, to: &central)
        LittleEndian.append16(0x031E, to: &central)  // made by: Unix, spec 3.0
        LittleEndian.append16(needed, to: &central)
        LittleEndian.append16(flags, to: &central)
        LittleEndian.append16(method, to: &central)
        LittleEndian.append16(time, to: &central)
        LittleEndian.append16(date, to: &central)
        LittleEndian.append32(Int(crc), to: &central)
        LittleEndian.append32(compressedField, to: &central)
        LittleEndian.append32(uncompressedField, to: &central)
        LittleEndian.append16(name.count, to: &central)
        LittleEndian.append16(extra.count, to: &central)
        LittleEndian.append16(0, to: &central)
        LittleEndian.append16(0, to: &central)
        LittleEndian.append16(0, to: &central)
        LittleEndian.append32(external, to: &central)
        LittleEndian.append32(offsetField, to: &central)
        central.append(contentsOf: name)
        central.append(contentsOf: extra)
        count += 1
    }

    private func appendU64(_ value: Int, to out: inout [UInt8]) {
        LittleEndian.append32(value & 0xFFFF_FFFF, to: &out)
        LittleEndian.append32(value >> 32, to: &out)
    }
}
