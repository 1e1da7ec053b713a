import Foundation
import SwiftASN1

extension CMSSignedData {
    /// Signs detached content given its digest: one code path for SM2, ECDSA and RSA.
    ///
    /// The caller hashes (streams) the content with `digestAlgorithm` (SM3 for SM2 signers by convention).
    /// Signed attributes: contentType, signingTime, messageDigest, signingCertificateV2. The signature covers the
    /// DER of the signed attributes; SM2 signatures are DER `SEQUENCE { r, s }` with ID `1234567812345678`.
    /// - Returns: the DER ContentInfo.
    public static func signDetached(
        contentDigest: [UInt8], digestAlgorithm: DigestAlgorithm, signer: any Signer,
        options: CMSSignOptions = CMSSignOptions()
    ) throws -> [UInt8] {
        try sign(
            contentType: options.oidStyle.dataOID, attachedContent: nil, contentDigest: contentDigest,
            digestAlgorithm: digestAlgorithm, signer: signer, options: options)
    }

    /// Signs `content` and attaches it (eContent present).
    public static func signAttached(
        content: [UInt8], digestAlgorithm: DigestAlgorithm, signer: any Signer, options: CMSSignOptions = CMSSignOptions()
    ) throws -> [UInt8] {
        try sign(
            contentType: options.oidStyle.dataOID, attachedContent: content,
            contentDigest: Digest.hash(digestAlgorithm, content), digestAlgorithm: digestAlgorithm, signer: signer,
            options: options)
    }

    /// The general builder (also used for RFC 3161 tokens, whose content type is TSTInfo).
    static func sign(
        contentType: ASN1ObjectIdentifier, attachedContent: [UInt8]?, contentDigest: [UInt8],
        digestAlgorithm: DigestAlgorithm, signer: any Signer, options: CMSSignOptions
    ) throws -> [UInt8] {
        guard let certificate = signer.certificate else {
            throw CryptoError(.invalidArgument, "CMS signing needs a signer with a certificate")
        }
        guard contentDigest.count == digestAlgorithm.outputByteCount, digestAlgorithm != .sha1 else {
            throw CryptoError(.invalidArgument, "content digest does not match \(digestAlgorithm)")
        }
        let algorithm = signer.algorithm

        var attributes: [CMSAttribute] = []
        attributes.append(CMSAttribute(type: OIDs.contentType, values: [try DERWriting.build { try $0.serialize(contentType) }]))
        if let signingTime = options.signingTime {
            attributes.append(CMSAttribute(type: OIDs.signingTime, values: [try DERWriting.build {
                try DERWriting.serializeTime(signingTime, into: &$0)
            }]))
        }
        attributes.append(CMSAttribute(type: OIDs.messageDigest, values: [try DERWriting.build {
            try $0.serialize(ASN1OctetString(contentBytes: ArraySlice(contentDigest)))
        }]))
        if options.includeSigningCertificateV2 {
            let essDigest: DigestAlgorithm = algorithm == .sm2WithSM3 ? .sm3 : .sha256
            attributes.append(CMSAttribute(
                type: OIDs.signingCertificateV2, values: [try ESSSigningCertificate.v2Value(for: certificate, digest: essDigest)]))
        }
        let sortedAttributes = attributes.map(\.der).sorted(by: DERSorting.lessThan)
        let signedAttributesSet = try DERWriting.build { coder in
            coder.appendConstructedNode(identifier: .set) { set in
                for attribute in sortedAttributes { set.serializeRawBytes(attribute) }
            }
        }
        if !options.includeSignedAttributes, attachedContent == nil {
            throw CryptoError(.invalidArgument, "a signature without signed attributes needs attached content")
        }
        let signature: [UInt8]
        do {
            signature = try signer.sign(options.includeSignedAttributes ? signedAttributesSet : attachedContent ?? [])
        } catch let error as CryptoError {
            throw error
        } catch {
            throw CryptoError(.signingFailed, "the signer failed (\(type(of: error)))")
        }

        var unsignedAttributes: [[UInt8]] = []
        if let provider = options.timestamp {
            let token = try provider.timeStampToken(digest: Digest.hash(digestAlgorithm, signature), algorithm: digestAlgorithm)
            unsignedAttributes.append(CMSAttribute(type: OIDs.signatureTimeStampToken, values: [token]).der)
        }

        var embedded = [certificate]
        if options.includeChain {
            for extra in signer.certificateChain where !embedded.contains(extra) { embedded.append(extra) }
        }
        let digestAlgorithmDER = try DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { try $0.serialize(digestAlgorithm.oid) }
        }

        return try DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { contentInfo in
                try contentInfo.serialize(options.oidStyle.signedDataOID)
                try contentInfo.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { wrapper in
                    try wrapper.appendConstructedNode(identifier: .sequence) { signedData in
                        // RFC 5652 §5.1: version 3 when the encapsulated content is not plain data (TSTInfo).
                        let isData = contentType == OIDs.pkcs7Data || contentType == OIDs.gmData
                        try signedData.serialize(isData ? 1 : 3)
                        signedData.appendConstructedNode(identifier: .set) { $0.serializeRawBytes(digestAlgorithmDER) }
                        try signedData.appendConstructedNode(identifier: .sequence) { encapsulated in
                            try encapsulated.serialize(contentType)
                            if let attachedContent {
                                try encapsulated.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) {
                                    try $0.serialize(ASN1OctetString(contentBytes: ArraySlice(attachedContent)))
                                }
                            }
                        }
                        signedData.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { set in
                            for item in embedded.map(\.der).sorted(by: DERSorting.lessThan) { set.serializeRawBytes(item) }
                        }
                        try signedData.appendConstructedNode(identifier: .set) { signerInfos in
                            try signerInfos.appendConstructedNode(identifier: .sequence) { signerInfo in
                                try signerInfo.serialize(1)
                                try signerInfo.appendConstructedNode(identifier: .sequence) { sid in
                                    sid.serializeRawBytes(certificate.issuerName.der)
                                    try sid.serialize(ArraySlice(certificate.serialNumber))
                                }
                                signerInfo.serializeRawBytes(digestAlgorithmDER)
                                if options.includeSignedAttributes {
                                    signerInfo.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { attrs in
                                        for attribute in sortedAttributes { attrs.serializeRawBytes(attribute) }
                                    }
                                }
                                signerInfo.serializeRawBytes(algorithm.algorithmIdentifierDER)
                                try signerInfo.serialize(ASN1OctetString(contentBytes: ArraySlice(signature)))
                                if !unsignedAttributes.isEmpty {
                                    signerInfo.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)) { attrs in
                                        for attribute in unsignedAttributes.sorted(by: DERSorting.lessThan) { attrs.serializeRawBytes(attribute) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
