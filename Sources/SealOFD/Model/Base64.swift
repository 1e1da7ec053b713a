import Foundation

/// Base64 (RFC 4648 §4) for OFD signature files, through Foundation.
///
/// Real OFD files wrap Base64 text across lines and indent it, and some writers drop the padding: decoding
/// skips ASCII white space and restores the padding; any other stray character still makes it nil.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes Base64 text, ignoring white space; accepts missing padding; nil on any other character.
    static func decode(_ text: String) -> [UInt8]? {
        var compact = text.utf8.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        if compact.count % 4 != 0 { compact += repeatElement(UInt8(ascii: "="), count: 4 - compact.count % 4) }
        return Data(base64Encoded: Data(compact)).map { Array($0) }
    }
}
