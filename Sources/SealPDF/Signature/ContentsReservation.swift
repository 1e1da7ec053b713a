import SealCrypto

/// How many bytes of `/Contents` to reserve for a signature, computed from its real parts — no dry-run signing.
///
/// pyHanko#515 ("allocated 16548 bytes, but contents required 16752") is what guessing gives; a dry run costs a
/// second private-key operation per document. Every variable part of the CMS / SES structure (certificates,
/// issuer name, serial number, signature value, timestamp token, seal) has a known upper size, and the fixed
/// ASN.1 framing is bounded by ``framingBytes``; the sum is an upper bound that is tight within about 1 KB.
public struct ContentsReservation: Equatable {
    /// DER bytes the finished signature may take at most.
    var bytes: Int

    /// Framing of ContentInfo / SignedData / SignerInfo: tags, lengths, OIDs, algorithm identifiers, version
    /// numbers and the fixed signed attributes (content type, message digest up to SHA-512, signing time,
    /// CMS algorithm protection, the ESSCertIDv2 hash). Counted generously.
    static let framingBytes = 1024

    /// The bound for a CMS SignedData (PAdES, adbe.pkcs7.detached, SM2 CMS).
    ///
    /// - Parameters:
    ///   - certificateBytes: DER sizes of every certificate that will be embedded.
    ///   - issuerNameBytes: DER size of the signer certificate's issuer Name (it appears in the SignerIdentifier
    ///     and again in signingCertificateV2's IssuerSerial).
    ///   - serialBytes: DER content size of the signer certificate's serial number.
    ///   - maximumSignatureBytes: the key's largest signature (RSA modulus bytes; DER ECDSA/SM2 size).
    ///   - timestampTokenBytes: the expected RFC 3161 token size when a TSA is used, else 0.
    static func cms(
        certificateBytes: [Int], issuerNameBytes: Int, serialBytes: Int, maximumSignatureBytes: Int,
        timestampTokenBytes: Int = 0
    ) -> ContentsReservation {
        let variable = certificateBytes.reduce(0, +) + 2 * issuerNameBytes + 2 * serialBytes + maximumSignatureBytes
        let timestamp = timestampTokenBytes > 0 ? timestampTokenBytes + 64 : 0
        return ContentsReservation(bytes: framingBytes + variable + timestamp)
    }

    /// The bound for a GB/T 38540 `SES_Signature`.
    static func ses(
        sealBytes: Int, certificateBytes: Int, propertyInfoBytes: Int, maximumSignatureBytes: Int,
        timestampTokenBytes: Int = 0
    ) -> ContentsReservation {
        let timestamp = timestampTokenBytes > 0 ? timestampTokenBytes + 16 : 0
        return ContentsReservation(
            bytes: 256 + sealBytes + certificateBytes + propertyInfoBytes + maximumSignatureBytes + timestamp)
    }

    /// The largest signature value a key of this kind makes (RSA: the modulus; EC: the DER `SEQUENCE { r, s }`).
    static func maximumSignatureBytes(_ key: KeyAlgorithm) -> Int {
        switch key {
        case .rsa(let bits): (bits + 7) / 8
        case .ecdsaP384: ecdsaSignatureBytes(fieldBytes: 48)
        case .ecdsaP521: ecdsaSignatureBytes(fieldBytes: 66)
        default: ecdsaSignatureBytes(fieldBytes: 32)
        }
    }

    /// Largest DER signature for an elliptic-curve key of `fieldBytes` (SEQUENCE of two INTEGERs, sign byte).
    static func ecdsaSignatureBytes(fieldBytes: Int) -> Int { 2 * (fieldBytes + 3) + 4 }

    /// A first guess for a TSA's token before one has been seen (a token with a 2-certificate chain ≈ 4–6 KB).
    public static let defaultTimestampTokenBytes = 8192
}
