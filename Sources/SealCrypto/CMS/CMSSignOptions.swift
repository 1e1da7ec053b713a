import Foundation

/// Options for ``CMSSignedData/signDetached(contentDigest:digestAlgorithm:signer:options:)``.
public struct CMSSignOptions: Sendable {
    /// The signingTime attribute (nil leaves it out).
    public var signingTime: Date?
    /// PKCS#7 or GM/T 0010 content-type OIDs.
    public var oidStyle: CMSOIDStyle
    /// Embed the signer's intermediates besides its certificate.
    public var includeChain: Bool
    /// Adds an RFC 3161 signature-time-stamp (unsigned attribute) over the signature value.
    public var timestamp: (any TimeStampProvider)?
    /// Adds the ESS signingCertificateV2 attribute (RFC 5035), as CAdES/PAdES require.
    public var includeSigningCertificateV2: Bool
    /// When false, no signed attributes are written and the signature covers the content itself (the
    /// GB/T 35275 layout some OFD "Sign" signatures use). Only for attached content.
    public var includeSignedAttributes: Bool

    public init(
        signingTime: Date? = Date(), oidStyle: CMSOIDStyle = .pkcs7, includeChain: Bool = true,
        timestamp: (any TimeStampProvider)? = nil, includeSigningCertificateV2: Bool = true,
        includeSignedAttributes: Bool = true
    ) {
        self.includeSignedAttributes = includeSignedAttributes
        self.signingTime = signingTime
        self.oidStyle = oidStyle
        self.includeChain = includeChain
        self.timestamp = timestamp
        self.includeSigningCertificateV2 = includeSigningCertificateV2
    }
}

/// Something that returns an RFC 3161 TimeStampToken (DER ContentInfo) for a message imprint: an HTTP
/// ``TimeStampClient`` or an in-process ``LocalTimeStampAuthority``.
public protocol TimeStampProvider: Sendable {
    /// A token whose messageImprint is `digest` computed with `algorithm`.
    func timeStampToken(digest: [UInt8], algorithm: DigestAlgorithm) throws -> [UInt8]
}
