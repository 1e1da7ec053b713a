/// The document formats SealPress stamps and verifies, detected from content (never from a file name).
public enum DocumentFormat: String, Codable, Sendable, Hashable, CaseIterable {
    case pdf
    case ofd

    /// Detects the format from the first bytes: `%PDF-` within the first 1024 bytes (as PDF readers allow),
    /// or a ZIP local-file header (`PK\u{3}\u{4}`) for OFD. Returns nil for anything else.
    public static func detect<C: Collection>(_ bytes: C) -> DocumentFormat? where C.Element == UInt8 {
        let head = Array(bytes.prefix(1024))
        if head.count >= 4, head[0] == 0x50, head[1] == 0x4B, head[2] == 0x03, head[3] == 0x04 { return .ofd }
        let marker: [UInt8] = Array("%PDF-".utf8)
        if head.count >= marker.count {
            for start in 0...(head.count - marker.count) where head[start] == 0x25 {
                if Array(head[start..<start + marker.count]) == marker { return .pdf }
            }
        }
        return nil
    }
}
