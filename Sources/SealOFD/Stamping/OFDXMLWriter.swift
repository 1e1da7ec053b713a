/// Writes the XML files a new signature adds (Signature.xml, Signatures.xml) in schema element order, with the
/// `ofd` prefix bound to `http://www.ofdspec.org/2016`. Existing protected files are never written by this type.
struct OFDXMLWriter {
    static let namespace = "http://www.ofdspec.org/2016"
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    mutating func open(_ name: String, _ attributes: [(String, String)] = [], root: Bool = false) {
        text += "<ofd:\(name)"
        if root { text += " xmlns:ofd=\"\(Self.namespace)\"" }
        for (key, value) in attributes { text += " \(key)=\"\(Self.escape(value, attribute: true))\"" }
        text += ">"
    }

    mutating func empty(_ name: String, _ attributes: [(String, String)]) {
        text += "<ofd:\(name)"
        for (key, value) in attributes { text += " \(key)=\"\(Self.escape(value, attribute: true))\"" }
        text += "/>"
    }

    mutating func close(_ name: String) { text += "</ofd:\(name)>" }

    mutating func leaf(_ name: String, _ value: String, _ attributes: [(String, String)] = []) {
        open(name, attributes)
        text += Self.escape(value, attribute: false)
        close(name)
    }

    var bytes: [UInt8] { Array(text.utf8) }

    static func escape(_ value: String, attribute: Bool) -> String {
        // Most values (paths, IDs, Base64 digests, boxes) hold nothing to escape: return them without walking
        // their Characters (the slow part of writing Signature.xml). Any byte the loop below may change falls
        // through to it, so the output is the same either way.
        if !value.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return value
        }
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where attribute: out += "&#9;"
            default: out.append(character)
            }
        }
        return out
    }
}
