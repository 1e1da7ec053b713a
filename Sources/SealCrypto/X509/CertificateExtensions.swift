import SwiftASN1

/// The extensions SealCrypto interprets, decoded from `Extensions ::= SEQUENCE OF Extension`.
struct CertificateExtensions {
    var keyUsage: KeyUsage?
    var extendedKeyUsage: [ASN1ObjectIdentifier] = []
    var isExtendedKeyUsageCritical = false
    var isCA = false
    var pathLength: Int?
    var subjectKeyIdentifier: [UInt8]?
    var authorityKeyIdentifier: [UInt8]?
    var unhandledCritical: [ASN1ObjectIdentifier] = []
    var crlDistributionPoints: [String] = []
    var ocspResponders: [String] = []
    var caIssuers: [String] = []
    var hasOCSPNoCheck = false

    init() {}

    init(_ list: ASN1Node) throws {
        for extensionNode in try DERReading.children(list) {
            let parts = try DERReading.children(extensionNode)
            guard parts.count == 2 || parts.count == 3 else { throw ASN1Error.invalidASN1Object(reason: "Extension") }
            let oid = try DERReading.oid(parts[0])
            var critical = false
            if parts.count == 3 { critical = try DERReading.boolean(parts[1]) }
            let value = try DERReading.octets(parts[parts.count - 1])
            let inner = try DERReading.parse(value)
            switch oid {
            case OIDs.keyUsage:
                let content = try DERReading.primitive(inner, .bitString)
                keyUsage = KeyUsage(bitStringContent: Array(content.dropFirst()))
            case OIDs.extendedKeyUsage:
                extendedKeyUsage = try DERReading.children(inner).map { try DERReading.oid($0) }
                isExtendedKeyUsageCritical = critical
            case OIDs.basicConstraints:
                let fields = try DERReading.children(inner)
                for field in fields {
                    if field.identifier == .boolean { isCA = try DERReading.boolean(field) }
                    if field.identifier == .integer { pathLength = try DERReading.smallInteger(field) }
                }
            case OIDs.subjectKeyIdentifier:
                subjectKeyIdentifier = try DERReading.octets(inner)
            case OIDs.authorityKeyIdentifier:
                for field in try DERReading.children(inner)
                where field.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                    if case .primitive(let bytes) = field.content { authorityKeyIdentifier = Array(bytes) }
                }
            case OIDs.cRLDistributionPoints:
                // DistributionPoint ::= SEQUENCE { distributionPoint [0] { fullName [0] GeneralNames } … }
                for point in try DERReading.children(inner) {
                    guard case .constructed(let fields) = point.content else { continue }
                    for field in fields where field.identifier == Self.context(0) {
                        guard case .constructed(let names) = field.content else { continue }
                        for name in names where name.identifier == Self.context(0) {
                            crlDistributionPoints += Self.uris(inGeneralNames: name)
                        }
                    }
                }
            case OIDs.authorityInfoAccess:
                // AccessDescription ::= SEQUENCE { accessMethod OID, accessLocation GeneralName }
                for description in try DERReading.children(inner) {
                    let parts = try DERReading.children(description)
                    guard parts.count == 2, let uri = Self.uri(parts[1]) else { continue }
                    switch try DERReading.oid(parts[0]) {
                    case OIDs.accessMethodOCSP: ocspResponders.append(uri)
                    case OIDs.accessMethodCAIssuers: caIssuers.append(uri)
                    default: break
                    }
                }
            case OIDs.ocspNoCheck:
                hasOCSPNoCheck = true
            default:
                if critical { unhandledCritical.append(oid) }
            }
        }
    }

    private static func context(_ number: UInt) -> ASN1Identifier {
        ASN1Identifier(tagWithNumber: number, tagClass: .contextSpecific)
    }

    /// The uniformResourceIdentifier [6] entries of an implicitly tagged GeneralNames.
    private static func uris(inGeneralNames node: ASN1Node) -> [String] {
        guard case .constructed(let names) = node.content else { return [] }
        return names.compactMap(uri)
    }

    /// A GeneralName's uniformResourceIdentifier [6] IA5String.
    private static func uri(_ node: ASN1Node) -> String? {
        guard node.identifier == context(6), case .primitive(let bytes) = node.content,
            bytes.allSatisfy({ $0 < 0x80 })
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
