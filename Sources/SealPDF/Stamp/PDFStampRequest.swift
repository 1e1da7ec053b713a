import Foundation
import SealCrypto

/// Everything one stamp needs: who signs, in which format, where the seal goes and what it looks like.
public struct PDFStampRequest: Sendable {
    /// Who signs (software key, HSM, remote service).
    public var signer: any Signer
    public var format: PDFSignatureFormat
    /// Where the visible seal goes; nil makes an invisible signature.
    public var placement: PDFPlacement?
    /// A riding seal (骑缝章) across page edges instead of one ``placement`` (which is then ignored): one signature
    /// field with one widget per selected page, each showing its slice of the picture.
    public var riding: PDFRidingSeal?
    /// The picture to draw; nil uses the seal's own picture for ``PDFSignatureFormat/ses(seal:filter:subFilter:)``
    /// and makes the signature invisible otherwise.
    public var image: SealImage?
    /// The electronic seal (SESeal DER) whose picture this signature shows, for formats other than
    /// ``PDFSignatureFormat/ses(seal:filter:subFilter:)`` (which carries its seal). With a seal, ``SealPolicy`` is
    /// applied before signing — the signer must be listed in the seal, the seal valid at ``signingTime`` — so a
    /// seal's picture never appears above a key the seal does not list; without ``image``, the seal's own picture
    /// is drawn.
    public var seal: [UInt8]?
    /// The signature field's name; nil picks `Seal1`, `Seal2`, … (the first unused).
    public var fieldName: String?
    public var reason: String?
    public var location: String?
    public var contactInfo: String?
    /// Make this a certification signature with the given DocMDP permissions (must be the first signature).
    public var certify: PDFCertification?
    /// A time-stamping authority for the signature timestamp (required by ``PDFSignatureFormat/padesBT``):
    /// a ``TimeStampClient`` for a TSA URL, or a ``LocalTimeStampAuthority`` in process.
    public var timestamper: (any TimeStampProvider)?
    /// Bytes reserved for the timestamp token in /Contents (a token with a two-certificate chain is 4–6 KB).
    public var timestampReservationBytes: Int = ContentsReservation.defaultTimestampTokenBytes
    /// Lock form fields with this signature (FieldMDP): nil locks nothing, an empty list locks every field,
    /// otherwise the named (fully qualified) fields. Later changes to locked fields make the signature fail.
    public var lockedFields: [String]?
    /// The claimed signing time (/M, the pkcs7 signingTime attribute, the SES timeInfo).
    public var signingTime: Date
    /// The password of an encrypted input (user or owner); the output keeps the input's encryption.
    public var password: String?

    public init(
        signer: any Signer, format: PDFSignatureFormat = .padesBB, placement: PDFPlacement? = nil,
        image: SealImage? = nil, seal: [UInt8]? = nil, fieldName: String? = nil, reason: String? = nil, location: String? = nil,
        contactInfo: String? = nil, certify: PDFCertification? = nil, timestamper: (any TimeStampProvider)? = nil,
        signingTime: Date = Date(), password: String? = nil
    ) {
        self.signer = signer
        self.format = format
        self.placement = placement
        self.image = image
        self.seal = seal
        self.fieldName = fieldName
        self.reason = reason
        self.location = location
        self.contactInfo = contactInfo
        self.certify = certify
        self.timestamper = timestamper
        self.signingTime = signingTime
        self.password = password
    }
}
