import Foundation
public import SwiftASN1

/// One parsed `SignerInfo` (RFC 5652 §5.3), keeping the original bytes needed for verification.
public struct CMSSignerInfo: Sendable {
    /// How the signer's certificate is named.
    public enum Identifier: Sendable, Hashable {
        case issuerAndSerialNumber(issuer: DistinguishedName, serialNumber: [UInt8])
        case subjectKeyIdentifier([UInt8])
    }

    public let version: Int
    public let signerIdentifier: Identifier
    public let digestAlgorithmOID: ASN1ObjectIdentifier
    /// The digest algorithm, when known.
    public let digestAlgorithm: DigestAlgorithm?
    /// Signed attributes; nil when the SignerInfo has none (signature directly over the content).
    public let signedAttributes: [CMSAttribute]?
    /// The signed attributes re-tagged as `SET OF` (0x31) exactly as received (DER re-encoded when they came as
    /// BER): the bytes the signature covers.
    public let signedAttributesForSignature: [UInt8]?
    public let signatureAlgorithmOID: ASN1ObjectIdentifier
    public let signature: [UInt8]
    public let unsignedAttributes: [CMSAttribute]

    init(node: ASN1Node) throws {
        let parts = try DERReading.children(node)
        guard parts.count >= 5 else { throw ASN1Error.invalidASN1Object(reason: "SignerInfo too short") }
        var index = 0
        self.version = try DERReading.smallInteger(parts[index])
        index += 1
        let sid = parts[index]
        index += 1
        if sid.identifier == .sequence {
            let fields = try DERReading.children(sid)
            guard fields.count == 2 else { throw ASN1Error.invalidASN1Object(reason: "IssuerAndSerialNumber") }
            var serial = try DERReading.integerBytes(fields[1])
            while serial.count > 1, serial.first == 0 { serial.removeFirst() }
            self.signerIdentifier = .issuerAndSerialNumber(issuer: try DistinguishedName.parse(fields[0]), serialNumber: serial)
        } else if sid.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            guard case .primitive(let bytes) = sid.content else { throw ASN1Error.invalidASN1Object(reason: "sid") }
            self.signerIdentifier = .subjectKeyIdentifier(Array(bytes))
        } else {
            throw ASN1Error.unexpectedFieldType(sid.identifier)
        }
        let digestFields = try DERReading.children(parts[index])
        index += 1
        guard let digestOIDNode = digestFields.first else { throw ASN1Error.invalidASN1Object(reason: "digestAlgorithm") }
        self.digestAlgorithmOID = try DERReading.oid(digestOIDNode)
        self.digestAlgorithm = DigestAlgorithm(oid: digestAlgorithmOID)

        let signedTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
        if parts[index].identifier == signedTag {
            guard case .constructed(let attributes) = parts[index].content else {
                throw ASN1Error.invalidASN1Object(reason: "signedAttrs")
            }
            self.signedAttributes = try attributes.map { try CMSAttribute(node: $0) }
            var bytes = Array(parts[index].encodedBytes)
            if (try? DER.parse(bytes)) == nil {
                // BER as received (indefinite lengths): RFC 5652 §5.4 signs the DER encoding of the attributes.
                var coder = DER.Serializer()
                coder.serialize(parts[index])
                bytes = coder.serializedBytes
            }
            bytes[0] = 0x31
            self.signedAttributesForSignature = bytes
            index += 1
        } else {
            self.signedAttributes = nil
            self.signedAttributesForSignature = nil
        }
        guard parts.count >= index + 2 else { throw ASN1Error.invalidASN1Object(reason: "SignerInfo too short") }
        let signatureFields = try DERReading.children(parts[index])
        index += 1
        guard let signatureOIDNode = signatureFields.first else { throw ASN1Error.invalidASN1Object(reason: "signatureAlgorithm") }
        self.signatureAlgorithmOID = try DERReading.oid(signatureOIDNode)
        self.signature = try DERReading.octets(parts[index])
        index += 1
        var unsigned: [CMSAttribute] = []
        if index < parts.count {
            guard parts[index].identifier == ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific),
                case .constructed(let attributes) = parts[index].content
            else { throw ASN1Error.invalidASN1Object(reason: "unsignedAttrs") }
            unsigned = try attributes.map { try CMSAttribute(node: $0) }
        }
        self.unsignedAttributes = unsigned
    }

    /// The signature scheme, combining signatureAlgorithm and digestAlgorithm (`rsaEncryption` + SHA-256 …).
    public var signatureAlgorithm: SignatureAlgorithm? {
        guard let digestAlgorithm else { return SignatureAlgorithm(oid: signatureAlgorithmOID) }
        return SignatureAlgorithm(oid: signatureAlgorithmOID, digest: digestAlgorithm)
    }

    /// The messageDigest signed attribute.
    public var messageDigest: [UInt8]? {
        guard let node = try? signedAttributes?.first(OIDs.messageDigest)?.firstValue() else { return nil }
        return try? DERReading.octets(node)
    }

    /// The contentType signed attribute.
    public var contentType: ASN1ObjectIdentifier? {
        guard let node = try? signedAttributes?.first(OIDs.contentType)?.firstValue() else { return nil }
        return try? DERReading.oid(node)
    }

    /// The signingTime signed attribute (claimed by the signer, not proven).
    public var signingTime: Date? {
        guard let node = try? signedAttributes?.first(OIDs.signingTime)?.firstValue() else { return nil }
        return try? DERReading.time(node)
    }

    /// The DER of the signature-time-stamp unsigned attribute's token, if present.
    public var timeStampTokenDER: [UInt8]? {
        unsignedAttributes.first(OIDs.signatureTimeStampToken)?.values.first
    }

    /// True when `certificate` is the one this SignerInfo names.
    public func identifies(_ certificate: Certificate) -> Bool {
        switch signerIdentifier {
        case .issuerAndSerialNumber(let issuer, let serial):
            return certificate.serialNumber == serial && certificate.issuerName.matches(issuer)
        case .subjectKeyIdentifier(let keyID):
            return certificate.subjectKeyIdentifier == keyID
        }
    }
}
