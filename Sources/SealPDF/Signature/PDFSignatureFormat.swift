/// What goes into a PDF signature's /Contents, and the /SubFilter that announces it.
public enum PDFSignatureFormat: Sendable, Hashable {
    /// PAdES baseline B-B: CMS with signingCertificateV2, no signingTime attribute, `/ETSI.CAdES.detached`.
    case padesBB
    /// PAdES baseline B-T: B-B plus an RFC 3161 signature timestamp (needs a TSA).
    case padesBT
    /// Classic `adbe.pkcs7.detached` CMS (signingTime attribute, no ESS attributes).
    case pkcs7
    /// SM2/SM3 CMS (`adbe.pkcs7.detached`): SM3 `1.2.156.10197.1.401`, SM2 `1.2.156.10197.1.501`, and GM/T 0010
    /// ContentInfo OIDs (`1.2.156.10197.6.1.4.2.2`) unless `gmtOIDs` is false (then the PKCS#7 ones, which
    /// iText-based Chinese signers write; both are seen in practice).
    case sm2(gmtOIDs: Bool = true)
    /// A GB/T 38540 `SES_Signature` over SM3 of the byte ranges, with the seal (SESeal DER) inside.
    case ses(seal: [UInt8], filter: String = PDFSignatureFormat.defaultSESFilter, subFilter: String = PDFSignatureFormat.defaultSESSubFilter)

    /// Most Chinese PDF seal verifiers look for the standard names even for SES blobs (pdf-signing.md §2.1 B).
    public static let defaultSESFilter = "Adobe.PPKLite"
    public static let defaultSESSubFilter = "adbe.pkcs7.detached"

    /// The /Filter value.
    var filter: String {
        if case .ses(_, let filter, _) = self { return filter }
        return "Adobe.PPKLite"
    }

    /// The /SubFilter value.
    var subFilter: String {
        switch self {
        case .padesBB, .padesBT: "ETSI.CAdES.detached"
        case .pkcs7, .sm2: "adbe.pkcs7.detached"
        case .ses(_, _, let subFilter): subFilter
        }
    }

    /// The report format name used by the verifier for signatures of this kind.
    var reportFormat: String {
        switch self {
        case .padesBB, .padesBT: "pdf.pades"
        case .pkcs7: "pdf.pkcs7"
        case .sm2: "pdf.sm2"
        case .ses: "pdf.ses"
        }
    }
}
