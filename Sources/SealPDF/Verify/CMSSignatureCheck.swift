import Foundation
import SealCrypto
import SealReport

/// Verifies a detached CMS SignedData from /Contents against the digest of the byte ranges (RFC 5652 §5.4,
/// §5.6): messageDigest attribute, signature over DER(signedAttrs), signer certificate identification.
/// Results are checks (values), never throws.
struct CMSSignatureCheck {
    var checks: [Check] = []
    var signerCertificate: Certificate?
    var certificates: [Certificate] = []
    var algorithm: SignatureAlgorithm?
    var digestAlgorithm: DigestAlgorithm?
    var claimedSigningTime: Date?
    var usesGMTOIDs = false
    /// The signature value (what a signature timestamp covers).
    var signatureValue: [UInt8] = []
    /// The signature-time-stamp token (ContentInfo DER), if any.
    var timestampToken: [UInt8]?
    /// The encapsulated content when present (a timestamp token's TSTInfo).
    var encapsulatedContent: [UInt8]?

    /// Parses `der` and checks it. `contentDigest` computes the digest of the signed data for an algorithm
    /// (detached signatures); `content` gives the data itself when there are no signed attributes.
    init(der: [UInt8], contentDigest: (DigestAlgorithm) -> [UInt8], content: () -> [UInt8]) {
        guard let info = DERNode(der), info.tag == 0x30, let parts = info.children, parts.count == 2,
            parts[0].tag == 0x06, parts[1].tag == 0xA0
        else {
            checks.append(.failed("cmsStructure", .integrity, .formatFailure, "/Contents is not a CMS ContentInfo"))
            return
        }
        let type = parts[0].encoded
        guard type == CMSOIDs.pkcs7SignedData || type == CMSOIDs.gmtSignedData else {
            checks.append(.failed("cmsStructure", .integrity, .formatFailure, "the ContentInfo is not SignedData"))
            return
        }
        usesGMTOIDs = type == CMSOIDs.gmtSignedData
        guard let signedData = parts[1].children?.first, signedData.tag == 0x30, let fields = signedData.children,
            fields.count >= 4
        else {
            checks.append(.failed("cmsStructure", .integrity, .formatFailure, "SignedData is malformed"))
            return
        }
        // encapContentInfo: detached for PDF signatures; a timestamp token carries its TSTInfo here.
        if let encap = fields[2].children, encap.count == 2, encap[1].tag == 0xA0, let inner = encap[1].children?.first {
            encapsulatedContent = inner.value
        }
        var index = 3
        if fields[index].tag == 0xA0 {
            for node in fields[index].children ?? [] where node.tag == 0x30 {
                if let certificate = try? Certificate(der: node.encoded) { certificates.append(certificate) }
            }
            index += 1
        }
        if index < fields.count, fields[index].tag == 0xA1 { index += 1 }
        guard index < fields.count, fields[index].tag == 0x31, let signerInfos = fields[index].children,
            signerInfos.count >= 1
        else {
            checks.append(.failed("cmsStructure", .integrity, .formatFailure, "SignedData has no SignerInfo"))
            return
        }
        if signerInfos.count > 1 {
            checks.append(.warning("cmsStructure", .integrity, "\(signerInfos.count) SignerInfos; the first is checked"))
        }
        checkSignerInfo(signerInfos[0], contentDigest: contentDigest, content: content)
    }

    private mutating func checkSignerInfo(
        _ node: DERNode, contentDigest: (DigestAlgorithm) -> [UInt8], content: () -> [UInt8]
    ) {
        guard let fields = node.children, fields.count >= 5 else {
            checks.append(.failed("cmsStructure", .integrity, .formatFailure, "SignerInfo is malformed"))
            return
        }
        // sid: IssuerAndSerialNumber or [0] SubjectKeyIdentifier.
        let sid = fields[1]
        if sid.tag == 0x30, let parts = sid.children, parts.count == 2 {
            let issuer = parts[0].encoded
            var serial = parts[1].value
            while serial.count > 1, serial.first == 0 { serial.removeFirst() }
            signerCertificate = certificates.first { $0.issuerName.der == issuer && $0.serialNumber == serial }
        } else if sid.tag == 0x80 {
            let keyID = sid.value
            signerCertificate = certificates.first { $0.subjectKeyIdentifier == keyID }
        }
        guard let certificate = signerCertificate else {
            checks.append(
                .indeterminate(
                    "signingCertificate", .trust, .noSigningCertificateFound,
                    "the signer's certificate is not in the signature"))
            return
        }
        guard let digest = Self.digestAlgorithm(fields[2]) else {
            checks.append(.failed("digest", .integrity, .formatFailure, "unknown digest algorithm"))
            return
        }
        digestAlgorithm = digest
        var index = 3
        var signedAttributes: DERNode?
        if fields[index].tag == 0xA0 {
            signedAttributes = fields[index]
            index += 1
        }
        guard index + 1 < fields.count, fields[index + 1].tag == 0x04 else {
            checks.append(.failed("cmsStructure", .integrity, .formatFailure, "SignerInfo is malformed"))
            return
        }
        guard let algorithm = Self.signatureAlgorithm(fields[index], digest: digest, key: certificate.publicKey.algorithm) else {
            checks.append(.failed("signature", .integrity, .cryptoConstraintsFailure, "unsupported signature algorithm"))
            return
        }
        self.algorithm = algorithm
        signatureValue = fields[index + 1].value
        if index + 2 < fields.count, fields[index + 2].tag == 0xA1 {
            for attribute in fields[index + 2].children ?? [] {
                guard let parts = attribute.children, parts.count == 2 else { continue }
                if parts[0].encoded == CMSOIDs.timeStampTokenAttribute { timestampToken = parts[1].children?.first?.encoded }
            }
        }

        let signedMessage: [UInt8]
        if let signedAttributes {
            var messageDigest: [UInt8]?
            var contentTypeOK = false
            for attribute in signedAttributes.children ?? [] {
                guard let parts = attribute.children, parts.count == 2, let value = parts[1].children?.first else { continue }
                switch parts[0].encoded {
                case CMSOIDs.messageDigestAttribute: messageDigest = value.value
                case CMSOIDs.contentTypeAttribute: contentTypeOK = true
                case CMSOIDs.signingTimeAttribute: claimedSigningTime = DERTime.parse(value)
                default: break
                }
            }
            guard contentTypeOK, let messageDigest else {
                checks.append(
                    .failed("cmsStructure", .integrity, .formatFailure, "signed attributes lack contentType or messageDigest"))
                return
            }
            if messageDigest == contentDigest(digest) {
                checks.append(.passed("digest", .integrity, "\(digest) of the signed bytes matches messageDigest"))
            } else {
                checks.append(.failed("digest", .integrity, .hashFailure, "the signed bytes changed after signing (\(digest) mismatch)"))
                return
            }
            signedMessage = signedAttributes.retagged(0x31)
        } else {
            signedMessage = content()
            checks.append(.passed("digest", .integrity, "no signed attributes: the signature covers the bytes directly"))
        }
        if certificate.publicKey.verify(signature: signatureValue, for: signedMessage, algorithm: algorithm) {
            checks.append(.passed("signature", .integrity, "\(algorithm) signature verifies with the signer's key"))
        } else {
            checks.append(.failed("signature", .integrity, .sigCryptoFailure, "the \(algorithm) signature does not verify"))
        }
    }

    static func digestAlgorithm(_ node: DERNode) -> DigestAlgorithm? {
        guard let oid = node.children?.first?.encoded else { return nil }
        switch oid {
        case CMSOIDs.sha256: return .sha256
        case CMSOIDs.sha384: return .sha384
        case CMSOIDs.sha512: return .sha512
        case CMSOIDs.sm3: return .sm3
        case CMSOIDs.sha1: return .sha1
        default: return nil
        }
    }

    static let rsaEncryption = DERBytes.oid([1, 2, 840, 113549, 1, 1, 1])
    static let ecPublicKey = DERBytes.oid([1, 2, 840, 10045, 2, 1])
    static let sm2Sign = DERBytes.oid([1, 2, 156, 10197, 1, 301, 1])

    static func signatureAlgorithm(_ node: DERNode, digest: DigestAlgorithm, key: KeyAlgorithm) -> SignatureAlgorithm? {
        guard let oid = node.children?.first?.encoded else { return nil }
        if oid == CMSOIDs.sm2WithSM3 || oid == sm2Sign { return .sm2WithSM3 }
        if oid == rsaEncryption || oid == ecPublicKey {
            if key == .sm2 { return digest == .sm3 ? .sm2WithSM3 : nil }
            switch (key.isRSA, digest) {
            case (true, .sha256): return .rsaPKCS1SHA256
            case (true, .sha384): return .rsaPKCS1SHA384
            case (true, .sha512): return .rsaPKCS1SHA512
            case (true, .sha1): return .rsaPKCS1SHA1
            case (false, .sha256): return .ecdsaWithSHA256
            case (false, .sha384): return .ecdsaWithSHA384
            case (false, .sha512): return .ecdsaWithSHA512
            case (false, .sha1): return .ecdsaWithSHA1
            default: return nil
            }
        }
        for candidate in SignatureAlgorithm.allCases where candidate.algorithmIdentifierDER.starts(with: [0x30]) {
            if let inner = DERNode(candidate.algorithmIdentifierDER)?.children?.first?.encoded, inner == oid {
                return candidate
            }
        }
        return nil
    }
}
