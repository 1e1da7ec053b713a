import SealCrypto

/// Builds the detached CMS SignedData that goes into /Contents (RFC 5652, ETSI EN 319 142-1 for PAdES,
/// GM/T 0010 OIDs for SM2 when asked).
///
/// Everything that depends only on the signer (certificates, SignerIdentifier, algorithm identifiers, the
/// ESSCertIDv2 hash) is encoded once in `init`; ``build(contentDigest:signingTime:timestamp:)`` then only adds
/// the per-document attributes and makes the one private-key operation.
struct CMSSignatureBuilder: Sendable {
    enum Profile: Sendable {
        /// contentType + messageDigest + signingCertificateV2 (no signingTime: PAdES uses /M).
        case pades
        /// contentType + signingTime + messageDigest.
        case pkcs7
    }

    let signer: any Signer
    let profile: Profile
    let digest: DigestAlgorithm
    let gmtOIDs: Bool
    private let certificatesField: [UInt8]
    private let signerIdentifier: [UInt8]
    private let digestAlgorithmID: [UInt8]
    private let signatureAlgorithmID: [UInt8]
    private let essAttribute: [UInt8]?
    /// Upper bound of the finished DER (without a timestamp token).
    let reservationWithoutTimestamp: Int

    init(signer: any Signer, profile: Profile, gmtOIDs: Bool = false) throws {
        guard let certificate = signer.certificate else {
            throw PDFStampError(.signingFailed, "the signer has no certificate; a PDF signature must carry one")
        }
        self.signer = signer
        self.profile = profile
        self.digest = signer.algorithm.digest
        self.gmtOIDs = gmtOIDs
        var chain = [certificate]
        for extra in signer.certificateChain where !chain.contains(extra) { chain.append(extra) }
        certificatesField = DERBytes.context(0, chain.flatMap(\.der))
        let serial = DERBytes.unsignedInteger(certificate.serialNumber)
        signerIdentifier = DERBytes.sequence(certificate.issuerName.der, serial)
        digestAlgorithmID = DERBytes.sequence(CMSOIDs.digest(digest))
        if signer.algorithm == .sm2WithSM3 {
            signatureAlgorithmID = DERBytes.sequence(CMSOIDs.sm2WithSM3)
        } else {
            signatureAlgorithmID = signer.algorithm.algorithmIdentifierDER
        }
        if profile == .pades {
            // ESSCertIDv2 { hashAlgorithm DEFAULT sha256 (omitted), certHash, issuerSerial }
            let certHash = Digest.hash(digest, certificate.der)
            var certID = [UInt8]()
            if digest != .sha256 { certID += digestAlgorithmID }
            certID += DERBytes.octetString(certHash)
            let generalNames = DERBytes.sequence(DERBytes.context(4, certificate.issuerName.der))
            certID += DERBytes.sequence(generalNames, serial)
            let signingCertificateV2 = DERBytes.sequence(DERBytes.sequence(DERBytes.sequence(certID)))
            essAttribute = DERBytes.sequence(CMSOIDs.signingCertificateV2, DERBytes.set(signingCertificateV2))
        } else {
            essAttribute = nil
        }
        let maximumSignature: Int
        switch certificate.publicKey.algorithm {
        case .rsa(let bits): maximumSignature = (bits + 7) / 8
        case .ecdsaP384: maximumSignature = ContentsReservation.ecdsaSignatureBytes(fieldBytes: 48)
        case .ecdsaP521: maximumSignature = ContentsReservation.ecdsaSignatureBytes(fieldBytes: 66)
        default: maximumSignature = ContentsReservation.ecdsaSignatureBytes(fieldBytes: 32)
        }
        reservationWithoutTimestamp = ContentsReservation.cms(
            certificateBytes: chain.map(\.der.count), issuerNameBytes: certificate.issuerName.der.count,
            serialBytes: serial.count, maximumSignatureBytes: maximumSignature
        ).bytes
    }

    /// The signed attributes as a DER SET (what the private key signs).
    func signedAttributes(contentDigest: [UInt8], signingTime: Int64) -> [UInt8] {
        var attributes: [[UInt8]] = [
            DERBytes.sequence(CMSOIDs.contentTypeAttribute, DERBytes.set(CMSOIDs.data(gmt: gmtOIDs))),
            DERBytes.sequence(CMSOIDs.messageDigestAttribute, DERBytes.set(DERBytes.octetString(contentDigest))),
        ]
        if let essAttribute { attributes.append(essAttribute) }
        if profile == .pkcs7 {
            attributes.append(DERBytes.sequence(CMSOIDs.signingTimeAttribute, DERBytes.set(DERBytes.time(signingTime))))
        }
        return DERBytes.setOf(attributes)
    }

    /// Signs and returns the ContentInfo DER.
    ///
    /// - Parameters:
    ///   - contentDigest: the digest of the byte ranges with ``digest``.
    ///   - signingTime: seconds since 1970 (only written for the pkcs7 profile).
    ///   - timestamp: turns the signature value into an RFC 3161 token (ContentInfo DER), for B-T.
    func build(
        contentDigest: [UInt8], signingTime: Int64, timestamp: (([UInt8]) throws -> [UInt8])? = nil
    ) throws -> [UInt8] {
        let attributes = signedAttributes(contentDigest: contentDigest, signingTime: signingTime)
        let signature: [UInt8]
        do {
            signature = try signer.sign(attributes)
        } catch {
            throw PDFStampError(.signingFailed, "the signer failed: \(error)")
        }
        var signerInfo = DERBytes.integer(1) + signerIdentifier + digestAlgorithmID
        signerInfo += DERBytes.context(0, Array(attributes.dropFirst(DERBytes.headerLength(attributes))))
        signerInfo += signatureAlgorithmID + DERBytes.octetString(signature)
        if let timestamp {
            let token = try timestamp(signature)
            let attribute = DERBytes.sequence(CMSOIDs.timeStampTokenAttribute, DERBytes.set(token))
            signerInfo += DERBytes.context(1, attribute)
        }
        let signedData = DERBytes.sequence(
            DERBytes.integer(1), DERBytes.set(digestAlgorithmID), DERBytes.sequence(CMSOIDs.data(gmt: gmtOIDs)),
            certificatesField, DERBytes.set(DERBytes.sequence(signerInfo)))
        return DERBytes.sequence(CMSOIDs.signedData(gmt: gmtOIDs), DERBytes.context(0, signedData))
    }
}

extension DERBytes {
    /// Tag + length bytes of a TLV.
    static func headerLength(_ tlv: [UInt8]) -> Int {
        tlv[1] < 0x80 ? 2 : 2 + Int(tlv[1] & 0x7F)
    }
}
