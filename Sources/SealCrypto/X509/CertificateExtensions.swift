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
            default:
                if critical { unhandledCritical.append(oid) }
            }
        }
    }
}
