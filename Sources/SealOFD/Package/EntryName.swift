import SealCrypto

/// Turns stored ZIP entry names into safe package paths.
enum EntryName {
    /// Decodes a name: UTF-8 when flag bit 11 says so or the bytes are valid UTF-8; otherwise GB18030 (which
    /// covers GBK and GB2312, what Chinese Windows tools write without the flag); failing that, a lossless
    /// byte-per-scalar mapping. The stored bytes are what a copied entry keeps, whatever the decoding.
    static func decode(_ bytes: [UInt8], utf8Flag: Bool) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        if utf8Flag { return String(decoding: bytes, as: UTF8.self) }
        if let text = GB18030.decode(bytes[...]) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// True for the usual name that needs no rewriting: no NUL, backslash, leading slash, drive colon, empty,
    /// `.` or `..` segment.
    static func isPlain(_ name: String) -> Bool {
        var previous: UInt8 = UInt8(ascii: "/")
        for byte in name.utf8 {
            switch byte {
            case 0, UInt8(ascii: "\\"), UInt8(ascii: ":"): return false
            case UInt8(ascii: "/") where previous == UInt8(ascii: "/"): return false
            case UInt8(ascii: ".") where previous == UInt8(ascii: "/") || previous == UInt8(ascii: "."): return false
            default: break
            }
            previous = byte
        }
        return !name.isEmpty
    }

    /// Normalises a decoded entry name into a package path, rejecting anything that escapes the package.
    ///
    /// Backslashes are read as separators (some Windows tools write them); `.` segments are dropped;
    /// `..` segments, absolute paths, drive letters and NUL characters are refused.
    static func normalize(_ name: String) throws(OFDError) -> String {
        if isPlain(name) { return name }
        if name.contains("\u{0}") { throw OFDError(.unsafeEntryName, "an entry name contains a NUL character") }
        let slashed = String(name.map { $0 == "\\" ? "/" : $0 })
        if slashed.hasPrefix("/") { throw OFDError(.unsafeEntryName, "an entry name is an absolute path") }
        let scalars = Array(slashed.unicodeScalars)
        if scalars.count >= 2, scalars[1] == ":", scalars[0].properties.isAlphabetic {
            throw OFDError(.unsafeEntryName, "an entry name starts with a drive letter")
        }
        var parts: [Substring] = []
        for part in slashed.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { throw OFDError(.unsafeEntryName, "an entry name climbs out of the package with '..'") }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return slashed.hasSuffix("/") && !joined.isEmpty ? joined + "/" : joined
    }
}
