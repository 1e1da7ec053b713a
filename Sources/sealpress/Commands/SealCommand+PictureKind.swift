/// Picture formats recognised from content.
enum PictureKind {
    static func detect(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "PNG" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "JPG" }
        if bytes.starts(with: Array("GIF8".utf8)) { return "GIF" }
        if bytes.starts(with: Array("BM".utf8)) { return "BMP" }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "ofd" }
        let head = String(decoding: bytes.prefix(512), as: UTF8.self)
        if head.contains("<svg") { return "SVG" }
        return nil
    }

    /// The usual file extension for a recorded picture type.
    static func fileExtension(_ type: String) -> String {
        switch type.lowercased() {
        case "jpg", "jpeg": "jpg"
        case "png", "gif", "bmp", "svg", "ofd": type.lowercased()
        default: "bin"
        }
    }
}
