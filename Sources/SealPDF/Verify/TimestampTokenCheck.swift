import Foundation
import SealCrypto
import SealReport

/// Checks an RFC 3161 TimeStampToken: the TSA's CMS signature over TSTInfo, the message imprint, the TSA chain.
struct TimestampTokenCheck {
    var checks: [Check] = []
    var time: Date?
    var signer: Certificate?
    var isValid: Bool { !checks.contains { $0.status == .failed || $0.status == .indeterminate } && time != nil }

    /// - Parameter imprintOf: the digest of what the token must cover, for the imprint's algorithm.
    init(token: [UInt8], imprintOf: (DigestAlgorithm) -> [UInt8], trust: TrustStore?, at: Date?) {
        var tstInfo: [UInt8] = []
        let cms = CMSSignatureCheck(der: token, contentDigest: { _ in [] }, content: { [] })
        guard let content = cms.encapsulatedContent else {
            checks.append(.failed("timestampToken", .trust, .formatFailure, "the timestamp token has no TSTInfo"))
            return
        }
        tstInfo = content
        // Re-run with the real content digest now that the TSTInfo is known.
        let verified = CMSSignatureCheck(der: token, contentDigest: { Digest.hash($0, tstInfo) }, content: { tstInfo })
        signer = verified.signerCertificate
        if verified.checks.contains(where: { $0.status == .failed || $0.status == .indeterminate }) {
            checks.append(
                .failed(
                    "timestampSignature", .trust, .sigCryptoFailure,
                    "the TSA signature does not verify: " + verified.checks.compactMap(\.reason).joined(separator: "; ")))
            return
        }
        guard let info = DERNode(tstInfo), let fields = info.children, fields.count >= 5,
            let imprint = fields[2].children, imprint.count == 2,
            let algorithm = CMSSignatureCheck.digestAlgorithm(imprint[0])
        else {
            checks.append(.failed("timestampToken", .trust, .formatFailure, "TSTInfo is malformed"))
            return
        }
        time = DERTime.parse(fields[4])
        if imprint[1].value != imprintOf(algorithm) {
            checks.append(.failed("timestampImprint", .integrity, .hashFailure, "the timestamp covers different data"))
            return
        }
        checks.append(.passed("timestampImprint", .integrity, "the timestamp covers the signature"))
        guard let tsa = signer else { return }
        guard let trust else {
            checks.append(.indeterminate("timestampChain", .trust, .noCertificateChainFound, "no trust anchors for the TSA"))
            return
        }
        let validation = trust.validate(tsa, intermediates: verified.certificates, at: at ?? time ?? Date())
        if validation.isValid && tsa.allowsTimeStamping {
            checks.append(.passed("timestampChain", .trust, "TSA certificate chains to a trusted root"))
        } else {
            checks.append(.indeterminate("timestampChain", .trust, .noCertificateChainFound, validation.description))
        }
    }
}
