import ElectronicSeal
import Foundation
import SealCrypto
import SealReport

/// Checks a `Type="Sign"` signature: SignedValue.dat is a GB/T 35275 (or PKCS#7) SignedData over
/// SM3(Signature.xml), either detached with PKCS#9 signed attributes (12306 tickets, ofdrw
/// `GBT35275PKCS9DSContainer`) or with the 32-byte digest attached as content (ofdrw `GBT35275DSContainer`,
/// also its base64 variant).
struct OFDSignTypeCheck {
    let signedValue: [UInt8]
    let signatureXML: [UInt8]
    let trust: TrustStore?
    let date: Date
    let revocation: RevocationOptions?

    func run(into checks: inout [Check]) -> OFDSignatureVerification.Summary {
        var summary = OFDSignatureVerification.Summary()
        let signedData: CMSSignedData
        do {
            signedData = try CMSSignedData(der: signedValue)
        } catch {
            checks.append(
                .failed(
                    "signedValue", .integrity, .formatFailure,
                    "SignedValue.dat is not a GB/T 35275 / PKCS#7 SignedData"))
            return summary
        }
        let digest = Digest.hash(.sm3, signatureXML)
        let verification: CMSVerification
        if let content = signedData.encapsulatedContent {
            // Attached: the content is the digest of Signature.xml (or its base64), and the signature covers it.
            if content == digest || content == Array(Base64.encode(digest).utf8) {
                checks.append(.passed("dataHash", .integrity, "the signed content equals SM3 of Signature.xml"))
            } else {
                checks.append(
                    .failed(
                        "dataHash", .integrity, .hashFailure,
                        "Signature.xml changed after signing: the signed content is not its SM3 digest"))
            }
            verification = signedData.verify(content: nil, trust: trust, at: nil)
        } else {
            verification = signedData.verify(contentDigest: digest, trust: trust, at: nil)
            if verification.isDigestValid {
                checks.append(.passed("dataHash", .integrity, "messageDigest equals SM3 of Signature.xml"))
            } else if verification.failures.contains(.digestMismatch) {
                checks.append(
                    .failed(
                        "dataHash", .integrity, .hashFailure,
                        "Signature.xml changed after signing: messageDigest is not its SM3 digest"))
            }
        }
        summary.signer = verification.signerCertificate?.subject
        summary.signerSerial = verification.signerCertificate?.serialNumberHex
        summary.signingTime = verification.timeStamp?.genTime ?? verification.signingTime
        summary.algorithm = verification.signatureAlgorithm.map { $0 == .sm2WithSM3 ? "SM2-SM3" : "\($0)" }
        if let algorithm = verification.signatureAlgorithm, algorithm.isSHA1 { summary.weakAlgorithm = "\(algorithm)" }
        summary.timestamped = verification.timeStamp?.isValid == true

        if verification.signerCertificate == nil {
            checks.append(
                .failed(
                    "signatureValue", .integrity, .noSigningCertificateFound,
                    "the SignedData carries no certificate matching its SignerInfo"))
            return summary
        }
        if verification.isSignatureValid {
            checks.append(.passed("signatureValue", .integrity, "the SignedData signature verifies with the signer certificate"))
        } else {
            let reasons = verification.failures.filter {
                if case .chain = $0 { return false }
                if case .timeStamp = $0 { return false }
                return true
            }.map(\.description).joined(separator: "; ")
            checks.append(
                .failed(
                    "signatureValue", .integrity, .sigCryptoFailure,
                    "the SignedData signature does not verify: \(reasons.isEmpty ? "bad signature" : reasons)"))
        }
        // Trust: the signer certificate at the signing time (a verified timestamp's, else the claimed one).
        let time = summary.signingTime ?? date
        if let certificate = verification.signerCertificate {
            checks.append(
                OFDTrustChecks.chain(
                    "signerCertificateChain", of: "signer", certificate: certificate, extra: signedData.certificates,
                    trust: trust, at: time))
            if let revocation {
                let chain = trust.map { $0.validate(certificate, intermediates: signedData.certificates, at: time) }
                checks += RevocationChecks.check(
                    "signerRevocation", role: "signer", chain: chain.flatMap { $0.isTrusted ? $0.chain : nil },
                    signingTime: time, proven: summary.timestamped, options: revocation
                ).checks
            }
        }
        if let stamp = verification.timeStamp {
            checks.append(
                stamp.isValid
                    ? .passed("timestamp", .trust, "the signature timestamp verifies (\(OFDTrustChecks.iso(stamp.genTime ?? time)))")
                    : .failed(
                        "timestamp", .trust, .hashFailure,
                        "the signature timestamp does not verify: \(stamp.failures.map(\.description).joined(separator: "; "))"))
        } else {
            checks.append(.skipped("timestamp", .trust, "the signature carries no timestamp"))
        }
        return summary
    }
}
