import Foundation
public import SwiftASN1

/// A parsed CMS / PKCS#7 SignedData (RFC 5652), with PKCS#7 or GM/T 0010 OIDs.
///
/// ```
/// ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT SignedData }
/// SignedData ::= SEQUENCE { version, digestAlgorithms SET OF AlgorithmIdentifier,
///     encapContentInfo SEQUENCE { eContentType, eContent [0] EXPLICIT OCTET STRING OPTIONAL },
///     certificates [0] IMPLICIT CertificateSet OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos SET OF SignerInfo }
/// ```
public struct CMSSignedData: Sendable {
    /// The exact DER of the ContentInfo.
    public let der: [UInt8]
    /// PKCS#7 or GM/T 0010, from the ContentInfo type.
    public let oidStyle: CMSOIDStyle
    public let version: Int
    /// Known digest algorithms listed in `digestAlgorithms`.
    public let digestAlgorithms: [DigestAlgorithm]
    public let encapsulatedContentType: ASN1ObjectIdentifier
    /// The attached content, nil for a detached signature.
    public let encapsulatedContent: [UInt8]?
    /// Certificates embedded in the message (those that parse).
    public let certificates: [Certificate]
    public let signerInfos: [CMSSignerInfo]

    /// Parses a DER (or BER) ContentInfo holding SignedData.
    public init(der: [UInt8]) throws(CryptoError) {
        do {
            let root = try DERReading.parse(der)
            let contentInfo = try DERReading.children(root)
            guard contentInfo.count == 2 else { throw ASN1Error.invalidASN1Object(reason: "ContentInfo") }
            let type = try DERReading.oid(contentInfo[0])
            switch type {
            case OIDs.pkcs7SignedData: self.oidStyle = .pkcs7
            case OIDs.gmSignedData: self.oidStyle = .gmt0010
            default: throw CryptoError(.malformedCMS, "ContentInfo type \(type) is not SignedData")
            }
            let wrapper = try DERReading.children(contentInfo[1], ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific))
            guard wrapper.count == 1 else { throw ASN1Error.invalidASN1Object(reason: "content [0]") }
            let fields = try DERReading.children(wrapper[0])
            guard fields.count >= 4 else { throw ASN1Error.invalidASN1Object(reason: "SignedData too short") }
            self.der = Array(root.encodedBytes)
            self.version = try DERReading.smallInteger(fields[0])
            self.digestAlgorithms = try DERReading.children(fields[1], .set).compactMap { algorithm in
                guard let oidNode = try DERReading.children(algorithm).first else { return nil }
                return DigestAlgorithm(oid: try DERReading.oid(oidNode))
            }
            let encapsulated = try DERReading.children(fields[2])
            guard let eContentTypeNode = encapsulated.first else { throw ASN1Error.invalidASN1Object(reason: "eContentType") }
            self.encapsulatedContentType = try DERReading.oid(eContentTypeNode)
            if encapsulated.count > 1 {
                let explicit = try DERReading.children(encapsulated[1], ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific))
                guard let octets = explicit.first else { throw ASN1Error.invalidASN1Object(reason: "eContent") }
                self.encapsulatedContent = try DERReading.octets(octets)
            } else {
                self.encapsulatedContent = nil
            }
            var certificates: [Certificate] = []
            var signerInfosNode: ASN1Node? = nil
            for node in fields[3...] {
                if node.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                    guard case .constructed(let items) = node.content else { throw ASN1Error.invalidASN1Object(reason: "certificates") }
                    for item in items where item.identifier == .sequence {
                        if let certificate = try? Certificate(der: Array(item.encodedBytes)) { certificates.append(certificate) }
                    }
                } else if node.identifier == .set {
                    signerInfosNode = node
                }
            }
            guard let signerInfosNode else { throw ASN1Error.invalidASN1Object(reason: "signerInfos missing") }
            self.certificates = certificates
            self.signerInfos = try DERReading.children(signerInfosNode, .set).map { try CMSSignerInfo(node: $0) }
        } catch let error as CryptoError {
            throw error
        } catch {
            throw CryptoError(.malformedCMS, "malformed CMS SignedData (\(error))")
        }
    }

    /// The certificate a SignerInfo names, from the embedded certificates or `extra`.
    public func certificate(for signerInfo: CMSSignerInfo, extra: [Certificate] = []) -> Certificate? {
        (certificates + extra).first { signerInfo.identifies($0) }
    }
}
