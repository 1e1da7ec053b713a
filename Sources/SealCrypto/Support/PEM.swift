import Foundation

/// Minimal PEM (RFC 7468) reading and writing.
public enum PEM {
    /// One PEM block: its label and DER payload.
    public struct Document: Sendable, Hashable {
        public var label: String
        public var der: [UInt8]
    }

    /// Every PEM block in `text`, in order (text outside blocks is ignored).
    public static func documents(in text: String) throws(CryptoError) -> [Document] {
        var result: [Document] = []
        var label: String? = nil
        var body = ""
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                label = String(line.dropFirst(11).dropLast(5))
                body = ""
            } else if line.hasPrefix("-----END "), line.hasSuffix("-----") {
                guard let current = label, String(line.dropFirst(9).dropLast(5)) == current else {
                    throw CryptoError(.invalidPEM, "PEM END line does not match its BEGIN line")
                }
                guard let data = Data(base64Encoded: body) else {
                    throw CryptoError(.invalidPEM, "PEM body is not base64")
                }
                result.append(Document(label: current, der: [UInt8](data)))
                label = nil
            } else if label != nil, !line.contains(":") {
                body += line
            }
        }
        if label != nil { throw CryptoError(.invalidPEM, "PEM block without END line") }
        return result
    }

    /// The first block whose label is one of `labels`.
    public static func decode(_ text: String, expecting labels: Set<String>) throws(CryptoError) -> Document {
        guard let document = try documents(in: text).first(where: { labels.contains($0.label) }) else {
            throw CryptoError(.invalidPEM, "no PEM block labelled \(labels.sorted().joined(separator: " or "))")
        }
        return document
    }

    /// PEM text with 64-column base64 lines.
    public static func encode(label: String, der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString()
        var lines = ["-----BEGIN \(label)-----"]
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(String(base64[index..<end]))
            index = end
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }
}
