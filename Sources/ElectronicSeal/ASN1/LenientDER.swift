import Foundation
import SwiftASN1

/// Readers for the primitive fields of seal structures that accept what real signers write.
///
/// The ASN.1 tree itself comes from swift-asn1's BER parser (definite and indefinite lengths, depth limit 50);
/// these functions then read primitive contents the way a tolerant verifier must (GB/T 38540 files from many
/// vendors are not strict DER): non-minimal INTEGERs, any common string type, BIT STRINGs with odd padding,
/// BOOLEANs other than 0xFF. What we WRITE is always strict DER (see the `serialize` methods).
enum LenientDER {
    /// Parses the root element of `bytes` as BER, allowing trailing bytes after it (some files carry zero padding).
    static func parseRoot(_ bytes: ArraySlice<UInt8>) throws -> ASN1Node {
        guard !bytes.isEmpty else { throw ElectronicSealError.malformed("the input is empty") }
        do {
            return try BER.parse(bytes)
        } catch let error as ASN1Error where error.code == .invalidASN1Object {
            // Retry on the first element only when the complaint might be trailing data.
            if let length = try? elementLength(bytes), length < bytes.count {
                let root = bytes.prefix(length)
                do { return try BER.parse(root) } catch { throw wrap(error, "the outer element") }
            }
            throw wrap(error, "the outer element")
        } catch {
            throw wrap(error, "the outer element")
        }
    }

    /// The total length (header + content) of the first definite-length element, or nil for indefinite lengths.
    static func elementLength(_ bytes: ArraySlice<UInt8>) throws -> Int? {
        var index = bytes.startIndex
        func next() throws -> UInt8 {
            guard index < bytes.endIndex else { throw ElectronicSealError.malformed("the outer element is truncated") }
            defer { index += 1 }
            return bytes[index]
        }
        let tag = try next()
        if tag & 0x1F == 0x1F {
            while try next() & 0x80 != 0 {}
        }
        let first = try next()
        if first == 0x80 { return nil }
        var length = 0
        if first & 0x80 == 0 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count <= 4 else { throw ElectronicSealError.malformed("the outer length is too large") }
            for _ in 0..<count { length = length << 8 | Int(try next()) }
        }
        let header = index - bytes.startIndex
        guard length <= bytes.count - header else { throw ElectronicSealError.malformed("the outer element is truncated") }
        return header + length
    }

    /// Converts a swift-asn1 error (or any error) into a typed seal error naming the field.
    static func wrap(_ error: any Error, _ field: String) -> ElectronicSealError {
        if let error = error as? ElectronicSealError { return error }
        if let asn1 = error as? ASN1Error {
            switch asn1.code {
            case .truncatedASN1Field, .unsupportedFieldLength:
                return .malformed("\(field) is truncated or has an impossible length")
            case .invalidASN1Object:
                return .malformed("\(field) is not well-formed BER")
            case .unexpectedFieldType:
                return .structure("\(field) has an unexpected tag")
            default:
                return .value("\(field) holds an invalid value")
            }
        }
        return .value("\(field) could not be read")
    }

    /// The children of a constructed node with the given tag.
    static func children(
        _ node: ASN1Node, _ field: String, identifier: ASN1Identifier = .sequence
    ) throws -> [ASN1Node] {
        guard node.identifier == identifier else {
            throw ElectronicSealError.structure("\(field): expected \(identifier), found \(node.identifier)")
        }
        guard case .constructed(let nodes) = node.content else {
            throw ElectronicSealError.structure("\(field) is not constructed")
        }
        return Array(nodes)
    }

    /// The content bytes of a primitive node with the given tag.
    static func primitive(_ node: ASN1Node, _ field: String, identifier: ASN1Identifier) throws -> ArraySlice<UInt8> {
        guard node.identifier == identifier else {
            throw ElectronicSealError.structure("\(field): expected \(identifier), found \(node.identifier)")
        }
        guard case .primitive(let content) = node.content else {
            throw ElectronicSealError.structure("\(field) must be primitive")
        }
        return content
    }

    /// An INTEGER that fits an `Int`; redundant leading sign octets are accepted.
    static func integer(_ node: ASN1Node, _ field: String) throws -> Int {
        var content = try primitive(node, field, identifier: .integer)
        guard let first = content.first else { throw ElectronicSealError.value("\(field) is an empty INTEGER") }
        let negative = first & 0x80 != 0
        while content.count > 1, content.first == (negative ? 0xFF : 0x00),
            (content[content.startIndex + 1] & 0x80 != 0) == negative
        {
            content = content.dropFirst()
        }
        guard content.count <= 8 else { throw ElectronicSealError.value("\(field) is too large") }
        var value: Int64 = negative ? -1 : 0
        for byte in content { value = value << 8 | Int64(byte) }
        return Int(value)
    }

    /// An OBJECT IDENTIFIER; an `AlgorithmIdentifier` SEQUENCE{OID, parameters} where a bare algorithm OID is
    /// expected is read as its OID (some signers write the X.509 form).
    static func objectIdentifier(_ node: ASN1Node, _ field: String) throws -> ASN1ObjectIdentifier {
        if node.identifier == .sequence, case .constructed(let nodes) = node.content,
            let first = nodes.first(where: { _ in true }), first.identifier == .objectIdentifier
        {
            return try objectIdentifier(first, field)
        }
        do {
            return try ASN1ObjectIdentifier(berEncoded: node)
        } catch {
            throw wrap(error, field)
        }
    }

    /// An OCTET STRING (primitive, or BER constructed from primitive segments).
    static func octets(_ node: ASN1Node, _ field: String) throws -> ArraySlice<UInt8> {
        guard node.identifier == .octetString else {
            throw ElectronicSealError.structure("\(field): expected OCTET STRING, found \(node.identifier)")
        }
        switch node.content {
        case .primitive(let content):
            return content
        case .constructed(let segments):
            var joined: [UInt8] = []
            for segment in segments { joined += try octets(segment, field) }
            return joined[...]
        }
    }

    /// A DER certificate held in an OCTET STRING (the standard), a BIT STRING, or written directly as the X.509
    /// SEQUENCE.
    static func certificate(_ node: ASN1Node, _ field: String) throws -> ArraySlice<UInt8> {
        if node.identifier == .sequence { return node.encodedBytes }
        if node.identifier == .bitString { return try SESBitString(derEncoded: node, withIdentifier: .bitString).bytes }
        return try octets(node, field)
    }

    /// True for a node that looks like an X.509 certificate: SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING }.
    static func looksLikeCertificate(_ node: ASN1Node) -> Bool {
        guard node.identifier == .sequence, case .constructed(let nodes) = node.content else { return false }
        let children = Array(nodes)
        return children.count == 3 && children[0].identifier == .sequence && children[2].identifier == .bitString
    }

    /// A BOOLEAN: BER allows any non-zero octet for TRUE.
    static func boolean(_ node: ASN1Node, _ field: String) throws -> Bool {
        let content = try primitive(node, field, identifier: .boolean)
        guard content.count == 1 else { throw ElectronicSealError.value("\(field) is not a one-octet BOOLEAN") }
        return content.first != 0
    }

    /// The string types signers use for text fields, decoded to a Swift string.
    static let stringTags: Set<ASN1Identifier> = [
        .ia5String, .utf8String, .printableString, .visibleString, .teletexString, .bmpString, .generalString,
        .graphicString, .numericString,
    ]

    /// Any of the common string types (IA5String where UTF8String is expected and vice versa happens), or an
    /// OCTET STRING holding text. Invalid UTF-8 is replaced, never rejected (names are display-only), and
    /// trailing NUL padding is dropped.
    static func string(_ node: ASN1Node, _ field: String) throws -> String {
        guard stringTags.contains(node.identifier) || node.identifier == .octetString else {
            throw ElectronicSealError.structure("\(field): expected a string, found \(node.identifier)")
        }
        var content = node.identifier == .octetString
            ? try octets(node, field) : try primitive(node, field, identifier: node.identifier)
        while content.last == 0, node.identifier != .bmpString { content = content.dropLast() }
        if node.identifier == .bmpString {
            var units: [UInt16] = []
            var index = content.startIndex
            while index + 1 < content.endIndex {
                units.append(UInt16(content[index]) << 8 | UInt16(content[index + 1]))
                index += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        if node.identifier == .teletexString {
            return String(content.map { Character(Unicode.Scalar($0)) })
        }
        return String(decoding: content, as: UTF8.self)
    }
}

extension ASN1Identifier {
    /// `[n]` context-specific.
    static func context(_ number: UInt) -> ASN1Identifier {
        ASN1Identifier(tagWithNumber: number, tagClass: .contextSpecific)
    }
}
