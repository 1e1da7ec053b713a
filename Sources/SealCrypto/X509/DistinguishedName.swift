import SwiftASN1

/// An X.501 Name (subject or issuer), kept as its exact DER plus decoded attributes.
public struct DistinguishedName: Hashable, Sendable, CustomStringConvertible {
    /// One attribute: type and decoded value (UTF-8, BMP, Printable … strings decoded to Swift strings).
    public struct Attribute: Hashable, Sendable {
        public var type: ASN1ObjectIdentifier
        public var value: String
    }

    /// The exact DER bytes of the Name.
    public let der: [UInt8]
    /// The relative distinguished names in encoding order (most significant first, usually C … CN).
    public let rdns: [[Attribute]]

    /// Parses a DER Name.
    public init(der: [UInt8]) throws(CryptoError) {
        self = try Self.make(der: der)
    }

    private static func make(der: [UInt8]) throws(CryptoError) -> DistinguishedName {
        do {
            let node = try DERReading.parse(der)
            return DistinguishedName(der: der, rdns: try decode(node))
        } catch {
            throw CryptoError(.malformedDER, "malformed X.501 Name")
        }
    }

    init(der: [UInt8], rdns: [[Attribute]]) {
        self.der = der
        self.rdns = rdns
    }

    /// Parses the Name in `node`, keeping its exact encoding.
    static func parse(_ node: ASN1Node) throws -> DistinguishedName {
        DistinguishedName(der: Array(node.encodedBytes), rdns: try decode(node))
    }

    private static func decode(_ node: ASN1Node) throws -> [[Attribute]] {
        try DERReading.children(node).map { set in
            try DERReading.children(set, .set).map { pair in
                let parts = try DERReading.children(pair)
                guard parts.count == 2 else { throw ASN1Error.invalidASN1Object(reason: "AttributeTypeAndValue") }
                return Attribute(type: try DERReading.oid(parts[0]), value: decodeString(parts[1]))
            }
        }
    }

    /// Decodes a directory string of any of the usual types; unknown types become `#hex` (RFC 4514).
    static func decodeString(_ node: ASN1Node) -> String {
        guard case .primitive(let bytes) = node.content else {
            return "#" + Hex.string(node.encodedBytes)
        }
        switch node.identifier {
        case .utf8String, .printableString, .ia5String, .numericString, .visibleString, .teletexString:
            // Valid UTF-8 first; some Chinese CAs put GBK/GB18030 bytes in these types; T.61 may be Latin-1.
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            if let text = GB18030.decode(bytes) { return text }
            return String(bytes.map { Character(Unicode.Scalar($0)) })
        case .bmpString:
            var units: [UInt16] = []
            var index = bytes.startIndex
            while index + 1 < bytes.endIndex {
                units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
                index += 2
            }
            return String(decoding: units, as: UTF16.self)
        case .universalString:
            var scalars = String.UnicodeScalarView()
            var index = bytes.startIndex
            while index + 3 < bytes.endIndex {
                let value = bytes[index..<(index + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
                index += 4
            }
            return String(scalars)
        default:
            return "#" + Hex.string(node.encodedBytes)
        }
    }

    /// The first value of an attribute type (e.g. ``OIDs/commonName``).
    public func value(of type: ASN1ObjectIdentifier) -> String? {
        rdns.lazy.flatMap { $0 }.first { $0.type == type }?.value
    }

    /// CN.
    public var commonName: String? { value(of: OIDs.commonName) }
    /// O.
    public var organization: String? { value(of: OIDs.organizationName) }

    /// RFC 4514 / RFC 2253 string: most specific first (`CN=…,O=…,C=CN`), UTF-8 kept as is.
    public var description: String {
        rdns.reversed().map { rdn in
            rdn.map { "\(Self.shortName($0.type))=\(Self.escape($0.value))" }.joined(separator: "+")
        }.joined(separator: ",")
    }

    /// The same name compared leniently (case and surrounding spaces ignored), as RFC 5280 §7.1 suggests.
    func matches(_ other: DistinguishedName) -> Bool {
        if der == other.der { return true }
        guard rdns.count == other.rdns.count else { return false }
        return zip(rdns, other.rdns).allSatisfy { lhs, rhs in
            lhs.count == rhs.count
                && zip(lhs, rhs).allSatisfy {
                    $0.type == $1.type && Self.normalized($0.value) == Self.normalized($1.value)
                }
        }
    }

    private static func normalized(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " }).joined(separator: " ").lowercased()
    }

    static func shortName(_ oid: ASN1ObjectIdentifier) -> String {
        switch oid {
        case OIDs.commonName: return "CN"
        case OIDs.countryName: return "C"
        case OIDs.localityName: return "L"
        case OIDs.stateOrProvinceName: return "ST"
        case OIDs.organizationName: return "O"
        case OIDs.organizationalUnitName: return "OU"
        case [2, 5, 4, 5]: return "serialNumber"
        case [2, 5, 4, 9]: return "street"
        case [2, 5, 4, 12]: return "title"
        case [2, 5, 4, 42]: return "GN"
        case [2, 5, 4, 4]: return "SN"
        case [0, 9, 2342, 19200300, 100, 1, 25]: return "DC"
        case [0, 9, 2342, 19200300, 100, 1, 1]: return "UID"
        case [1, 2, 840, 113549, 1, 9, 1]: return "emailAddress"
        default: return oid.description
        }
    }

    private static func escape(_ value: String) -> String {
        var result = ""
        for (offset, character) in value.enumerated() {
            if ",+\"\\<>;=".contains(character) || (offset == 0 && (character == "#" || character == " ")) {
                result.append("\\")
            }
            result.append(character)
        }
        if result.hasSuffix(" "), !result.hasSuffix("\\ ") { result.insert("\\", at: result.index(before: result.endIndex)) }
        return result
    }
}

extension Array where Element == UInt8 {
    /// Lowercase hex.
    var hexString: String { Hex.string(self) }
}
