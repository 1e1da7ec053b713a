public import SwiftASN1

/// Object identifiers SealCrypto uses beyond digests and signature algorithms.
public enum OIDs {
    public static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 1]
    public static let mgf1: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 8]
    public static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]
    /// The SM2 curve (also used as "SM2 key" in some SignerInfos).
    public static let sm2Curve: ASN1ObjectIdentifier = [1, 2, 156, 10197, 1, 301]
    /// SM2-1 digital signature (GM/T 0006), seen in GB/T 35275 SignerInfos.
    public static let sm2Sign: ASN1ObjectIdentifier = [1, 2, 156, 10197, 1, 301, 1]

    // PKCS#7 / CMS content types.
    public static let pkcs7Data: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 1]
    public static let pkcs7SignedData: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 2]
    /// GM/T 0010 / GB/T 35275 data.
    public static let gmData: ASN1ObjectIdentifier = [1, 2, 156, 10197, 6, 1, 4, 2, 1]
    /// GM/T 0010 / GB/T 35275 signedData.
    public static let gmSignedData: ASN1ObjectIdentifier = [1, 2, 156, 10197, 6, 1, 4, 2, 2]
    /// RFC 3161 TSTInfo content type.
    public static let tstInfo: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 1, 4]

    // PKCS#9 / ESS attributes.
    public static let contentType: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 3]
    public static let messageDigest: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 4]
    public static let signingTime: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 5]
    public static let signingCertificate: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 12]
    public static let signingCertificateV2: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 47]
    public static let signatureTimeStampToken: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 14]

    // X.509 names and extensions.
    public static let commonName: ASN1ObjectIdentifier = [2, 5, 4, 3]
    public static let countryName: ASN1ObjectIdentifier = [2, 5, 4, 6]
    public static let localityName: ASN1ObjectIdentifier = [2, 5, 4, 7]
    public static let stateOrProvinceName: ASN1ObjectIdentifier = [2, 5, 4, 8]
    public static let organizationName: ASN1ObjectIdentifier = [2, 5, 4, 10]
    public static let organizationalUnitName: ASN1ObjectIdentifier = [2, 5, 4, 11]
    public static let subjectKeyIdentifier: ASN1ObjectIdentifier = [2, 5, 29, 14]
    public static let keyUsage: ASN1ObjectIdentifier = [2, 5, 29, 15]
    public static let basicConstraints: ASN1ObjectIdentifier = [2, 5, 29, 19]
    public static let cRLNumber: ASN1ObjectIdentifier = [2, 5, 29, 20]
    public static let authorityKeyIdentifier: ASN1ObjectIdentifier = [2, 5, 29, 35]
    public static let extendedKeyUsage: ASN1ObjectIdentifier = [2, 5, 29, 37]
    public static let timeStampingPurpose: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 8]
    /// id-kp-OCSPSigning: a delegated OCSP responder (RFC 6960 §4.2.2.2).
    public static let ocspSigningPurpose: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 9]
    /// cRLDistributionPoints (RFC 5280 §4.2.1.13).
    public static let cRLDistributionPoints: ASN1ObjectIdentifier = [2, 5, 29, 31]
    /// authorityInfoAccess (RFC 5280 §4.2.2.1).
    public static let authorityInfoAccess: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 1, 1]
    /// id-ad-ocsp, an AIA access method.
    public static let accessMethodOCSP: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 48, 1]
    /// id-ad-caIssuers, an AIA access method.
    public static let accessMethodCAIssuers: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 48, 2]
    /// id-pkix-ocsp-nocheck: the responder's own certificate is not checked for revocation.
    public static let ocspNoCheck: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 48, 1, 5]
}
