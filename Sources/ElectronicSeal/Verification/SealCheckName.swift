/// The stable names of the checks ``SealVerifier`` reports (GB/T 38540-2020 §7.3, GM/T 0031-2014 §6.2.3).
public enum SealCheckName {
    /// The seal and signature are the structures the standard describes (header "ES", consistent versions).
    public static let sealFormat = "sealFormat"
    /// The seal maker's signature over the seal information verifies with the maker certificate.
    public static let sealMakerSignature = "sealMakerSignature"
    /// The seal was within its validity period (validStart…validEnd) at the signing time.
    public static let sealValidityAtSigning = "sealValidityAtSigning"
    /// The seal is within its validity period at the given time (seal-only verification).
    public static let sealValidity = "sealValidity"
    /// The signer's certificate is in the seal's certificate list (or matches a listed digest).
    public static let signerInSealCertList = "signerInSealCertList"
    /// `dataHash` equals the digest of the protected content.
    public static let dataHash = "dataHash"
    /// The signature over the original `TBS_Sign` bytes verifies with the signer certificate.
    public static let signatureValue = "signatureValue"
    /// The signer certificate chains to a trust anchor and is valid at the signing time.
    public static let signerCertificateChain = "signerCertificateChain"
    /// The seal maker certificate chains to a trust anchor and is valid at the relevant time.
    public static let makerCertificateChain = "makerCertificateChain"
    /// Revocation of the signer certificate (and `.issuerN` for its CAs).
    public static let signerRevocation = "signerRevocation"
    /// Revocation of the seal maker certificate (and `.issuerN` for its CAs).
    public static let makerRevocation = "makerRevocation"
    /// The RFC 3161 timestamp over the signature value verifies.
    public static let timestamp = "timestamp"
    /// GM/T 0031-2025 (v5): the timestamp over the seal maker's signature verifies and is not before createDate.
    public static let sealTimestamp = "sealTimestamp"
}
