/// OFD `ST_Loc` paths: absolute from the package root (`/Doc_0/Document.xml`) or relative to the folder of the
/// file that refers to them (`Sign_0/Signature.xml`), with the quirks real producers write (backslashes,
/// `./` prefixes, `..` segments, surrounding whitespace).
public enum PackagePath {
    /// The folder of a package path, e.g. `Doc_0/Signs` for `Doc_0/Signs/Signatures.xml`; empty at the root.
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// Resolves an ST_Loc against the folder of the referring file into a normalised package path (no leading
    /// slash). `..` never climbs above the root.
    public static func resolve(_ location: String, relativeTo folder: String) -> String {
        if let simple = simpleAbsolute(location) { return simple }
        let cleaned = String(location.trimmingXMLWhitespace().map { $0 == "\\" ? "/" : $0 })
        let joined = cleaned.hasPrefix("/") ? cleaned : (folder.isEmpty ? cleaned : folder + "/" + cleaned)
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// The common case without any quirk: `/a/b/c` with no `.`/`..` segments, backslashes, doubled slashes or
    /// surrounding whitespace resolves to `a/b/c` without splitting.
    static func simpleAbsolute(_ location: String) -> String? {
        let utf8 = location.utf8
        guard utf8.first == UInt8(ascii: "/"), utf8.count > 1 else { return nil }
        var previous: UInt8 = 0
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"), 0x20, 0x09, 0x0A, 0x0D: return nil
            case UInt8(ascii: "/") where previous == UInt8(ascii: "/"): return nil
            case UInt8(ascii: ".") where previous == UInt8(ascii: "/") || previous == UInt8(ascii: "."): return nil
            default: break
            }
            previous = byte
        }
        guard previous != UInt8(ascii: "/") else { return nil }
        return String(location.dropFirst())
    }

    /// The absolute ST_Loc form of a package path, e.g. `/Doc_0/Document.xml`.
    public static func absolute(_ path: String) -> String { "/" + path }
}
