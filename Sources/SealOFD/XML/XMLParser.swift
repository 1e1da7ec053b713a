import SealCrypto

/// A small, bounded, non-validating XML parser for the OFD files the engine reads.
///
/// It is ours rather than FoundationXML (libxml2) because it must never fetch, expand or recurse on
/// attacker-controlled declarations (no DTD, no external entities: a DOCTYPE is skipped), must report every
/// problem as a typed ``OFDError``, must bound depth and node count, and must be fuzzable in-process.
/// It never writes XML back: protected files are never re-serialised.
enum OFDXMLParser {
    /// Parses a document and returns its root element.
    ///
    /// - Throws: ``OFDError`` `malformedXML` or `xmlTooLarge`.
    static func parse(_ bytes: [UInt8], limits: OFDPackageLimits = .standard) throws(OFDError) -> XMLElement {
        guard bytes.count <= limits.maxXMLBytes else {
            throw OFDError(.xmlTooLarge, "an XML file of \(bytes.count) bytes exceeds the \(limits.maxXMLBytes)-byte limit")
        }
        var parser = Cursor(bytes: utf8(bytes))
        return try parser.document()
    }

    /// The first child of the root element with a local name, parsing only as far as the end of that child: the
    /// rest of the file is neither read nor checked. Nil when the root has no such child.
    ///
    /// - Throws: ``OFDError`` `malformedXML` for anything malformed up to that point, or `xmlTooLarge`.
    static func firstChildOfRoot(_ bytes: [UInt8], named name: String, limits: OFDPackageLimits = .standard)
        throws(OFDError) -> XMLElement?
    {
        guard bytes.count <= limits.maxXMLBytes else {
            throw OFDError(.xmlTooLarge, "an XML file of \(bytes.count) bytes exceeds the \(limits.maxXMLBytes)-byte limit")
        }
        var parser = Cursor(bytes: utf8(bytes))
        try parser.skipMisc()
        guard parser.peek(UInt8(ascii: "<")) else { throw parser.fail("no root element") }
        var found: XMLElement?
        _ = try parser.element(depth: 0) { child in
            guard child.localName == name else { return false }
            found = child
            return true
        }
        return found
    }

    /// UTF-16 files (with a byte-order mark) and files declaring GBK, GB2312 or GB18030 are converted to UTF-8
    /// (so Chinese file names in attributes resolve); everything else is read as UTF-8.
    static func utf8(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 2 else { return bytes }
        if bytes.starts(with: Array("<?xml".utf8)), let end = bytes.prefix(200).firstIndex(of: UInt8(ascii: ">")) {
            // Compared byte by byte: String's generic `contains` cost ≈ 2.5 % of an OFD stamp (five files parsed).
            let declaration = bytes[..<end]
            if Self.declares("gbk", in: declaration) || Self.declares("gb2312", in: declaration)
                || Self.declares("gb18030", in: declaration),
                String(validating: bytes, as: UTF8.self) == nil, let text = GB18030.decode(bytes[...])
            {
                return Array(text.utf8)
            }
        }
        let little = bytes[0] == 0xFF && bytes[1] == 0xFE
        let big = bytes[0] == 0xFE && bytes[1] == 0xFF
        guard little || big else { return bytes }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 2
        while index + 1 < bytes.count {
            let pair = little ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8 : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
            units.append(pair)
            index += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }

    /// Whether an XML declaration names an encoding, ignoring ASCII case (`name` is lower-case ASCII).
    private static func declares(_ name: StaticString, in declaration: ArraySlice<UInt8>) -> Bool {
        let needle = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        guard declaration.count >= needle.count else { return false }
        var start = declaration.startIndex
        while start + needle.count <= declaration.endIndex {
            var index = 0
            while index < needle.count {
                let byte = declaration[start + index]
                let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                if lower != needle[index] { break }
                index += 1
            }
            if index == needle.count { return true }
            start += 1
        }
        return false
    }

    private struct Cursor {
        let bytes: [UInt8]
        var position = 0
        var nodes = 0
        static let maxDepth = 256
        static let maxNodes = 2_000_000

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }

        mutating func document() throws(OFDError) -> XMLElement {
            try skipMisc()
            guard peek(UInt8(ascii: "<")) else { throw fail("no root element") }
            let root = try element(depth: 0)
            try skipMisc()
            guard position == bytes.count else { throw fail("content after the root element") }
            return root
        }

        /// Skips whitespace, comments, processing instructions and a DOCTYPE.
        mutating func skipMisc() throws(OFDError) {
            while true {
                skipSpace()
                if starts("<?") {
                    try skip(past: "?>")
                } else if starts("<!--") {
                    try skip(past: "-->")
                } else if starts("<!DOCTYPE") || starts("<!doctype") {
                    try skipDoctype()
                } else {
                    return
                }
            }
        }

        /// Parses an element. `stop`, for the root only, is asked about each child as soon as it is parsed; when it
        /// answers true, parsing ends there and the element is returned incomplete.
        mutating func element(depth: Int, stop: ((XMLElement) -> Bool)? = nil) throws(OFDError) -> XMLElement {
            guard depth < Self.maxDepth else { throw OFDError(.xmlTooLarge, "XML nesting deeper than \(Self.maxDepth)") }
            nodes += 1
            guard nodes <= Self.maxNodes else { throw OFDError(.xmlTooLarge, "XML with more than \(Self.maxNodes) elements") }
            position += 1  // "<"
            let name = try readName()
            var element = XMLElement(qualifiedName: name)
            while true {
                skipSpace()
                guard position < bytes.count else { throw fail("unterminated start tag") }
                if starts("/>") {
                    position += 2
                    return element
                }
                if peek(UInt8(ascii: ">")) {
                    position += 1
                    break
                }
                let attributeName = try readName()
                skipSpace()
                guard peek(UInt8(ascii: "=")) else { throw fail("attribute without a value") }
                position += 1
                skipSpace()
                guard position < bytes.count, bytes[position] == 0x22 || bytes[position] == 0x27 else {
                    throw fail("attribute value without quotes")
                }
                let quote = bytes[position]
                position += 1
                let start = position
                while position < bytes.count, bytes[position] != quote {
                    if bytes[position] == UInt8(ascii: "<") { throw fail("'<' inside an attribute value") }
                    position += 1
                }
                guard position < bytes.count else { throw fail("unterminated attribute value") }
                let value = Self.decodeEntities(bytes[start..<position], normalizeSpace: true)
                position += 1
                element.attributes.append((attributeName, value))
            }
            var text: [UInt8] = []
            while true {
                guard position < bytes.count else { throw fail("element \(name) is not closed") }
                if bytes[position] != UInt8(ascii: "<") {
                    let start = position
                    while position < bytes.count, bytes[position] != UInt8(ascii: "<") { position += 1 }
                    text.append(contentsOf: bytes[start..<position])
                } else if starts("</") {
                    position += 2
                    let closing = try readName()
                    guard closing == name else { throw fail("</\(closing)> closes <\(name)>") }
                    skipSpace()
                    guard peek(UInt8(ascii: ">")) else { throw fail("unterminated end tag") }
                    position += 1
                    element.text = Self.decodeEntities(text[...], normalizeSpace: false)
                    return element
                } else if starts("<![CDATA[") {
                    position += 9
                    let start = position
                    try skip(past: "]]>")
                    // CDATA is literal: protect "&" from entity decoding by pre-escaping it.
                    for byte in bytes[start..<(position - 3)] {
                        if byte == UInt8(ascii: "&") { text.append(contentsOf: Array("&amp;".utf8)) } else { text.append(byte) }
                    }
                } else if starts("<!--") {
                    try skip(past: "-->")
                } else if starts("<?") {
                    try skip(past: "?>")
                } else {
                    let child = try self.element(depth: depth + 1)
                    if let stop, stop(child) { return element }
                    element.children.append(child)
                }
            }
        }

        mutating func readName() throws(OFDError) -> String {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">")
                    || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "<")
                {
                    break
                }
                position += 1
            }
            guard position > start else { throw fail("missing name") }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func skipSpace() {
            while position < bytes.count,
                bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0A || bytes[position] == 0x0D
            {
                position += 1
            }
        }

        mutating func skip(past marker: StaticString) throws(OFDError) {
            let pattern = marker.withUTF8Buffer { Array($0) }
            while position + pattern.count <= bytes.count {
                if bytes[position] == pattern[0] && bytes[position..<(position + pattern.count)].elementsEqual(pattern) {
                    position += pattern.count
                    return
                }
                position += 1
            }
            throw fail("unterminated markup (expected \(marker))")
        }

        /// Skips `<!DOCTYPE …>` including an internal subset in brackets, without interpreting it.
        mutating func skipDoctype() throws(OFDError) {
            var bracket = 0
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "["): bracket += 1
                case UInt8(ascii: "]"): bracket -= 1
                case UInt8(ascii: ">") where bracket <= 0:
                    position += 1
                    return
                default: break
                }
                position += 1
            }
            throw fail("unterminated DOCTYPE")
        }

        func peek(_ byte: UInt8) -> Bool { position < bytes.count && bytes[position] == byte }

        func starts(_ marker: StaticString) -> Bool {
            marker.withUTF8Buffer { pattern in
                position + pattern.count <= bytes.count && bytes[position..<(position + pattern.count)].elementsEqual(pattern)
            }
        }

        func fail(_ what: String) -> OFDError { OFDError(.malformedXML, "malformed XML at byte \(position): \(what)") }

        /// Decodes the five predefined entities and character references; unknown entities stay as written.
        static func decodeEntities(_ raw: ArraySlice<UInt8>, normalizeSpace: Bool) -> String {
            // Most values hold no entity and (attributes) no tab or line break: nothing to decode or normalise.
            let plain = !raw.contains { byte in
                byte == UInt8(ascii: "&") || (normalizeSpace && (byte == 0x09 || byte == 0x0A || byte == 0x0D))
            }
            guard !plain else { return String(decoding: raw, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var index = raw.startIndex
            while index < raw.endIndex {
                let byte = raw[index]
                if byte == UInt8(ascii: "&"), let semicolon = raw[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) {
                    let name = String(decoding: raw[(index + 1)..<semicolon], as: UTF8.self)
                    if let scalar = entity(name) {
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                        index = semicolon + 1
                        continue
                    }
                }
                if normalizeSpace && (byte == 0x09 || byte == 0x0A || byte == 0x0D) {
                    out.append(0x20)
                } else {
                    out.append(byte)
                }
                index += 1
            }
            return String(decoding: out, as: UTF8.self)
        }

        static func entity(_ name: String) -> Unicode.Scalar? {
            switch name {
            case "lt": return "<"
            case "gt": return ">"
            case "amp": return "&"
            case "quot": return "\""
            case "apos": return "'"
            default:
                var value: UInt32?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    value = UInt32(name.dropFirst(2), radix: 16)
                } else if name.hasPrefix("#") {
                    value = UInt32(name.dropFirst(), radix: 10)
                }
                return value.flatMap(Unicode.Scalar.init)
            }
        }
    }
}
