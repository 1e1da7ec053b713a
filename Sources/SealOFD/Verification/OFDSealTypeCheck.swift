import ElectronicSeal
import Foundation
import SealCrypto
import SealReport

/// Checks a `Type="Seal"` signature: SignedValue.dat is an SES_Signature (v1, v4 or v5).
///
/// The OFD layer is checked here (Seal.esl against the embedded seal, propertyInfo); the seal signature itself
/// goes through ``SealVerifier`` (GB/T 38540 §7.3: signature value over the original toSign bytes, dataHash =
/// SM3(Signature.xml), signer in the seal's list, maker signature, seal validity, chains, timestamp).
struct OFDSealTypeCheck {
    let signedValue: [UInt8]
    let signatureXML: [UInt8]
    let signaturePath: String
    let sealFile: [UInt8]?
    let trust: TrustStore?
    let date: Date
    let revocation: RevocationOptions?

    func run(into checks: inout [Check]) -> OFDSignatureVerification.Summary {
        var summary = OFDSignatureVerification.Summary()
        let signature: SESSignature
        do {
            signature = try SESSignature(bytes: signedValue)
        } catch {
            checks.append(
                .failed(
                    "signedValue", .integrity, .formatFailure,
                    "SignedValue.dat is not an SES_Signature (GB/T 38540 or GM/T 0031)"))
            return summary
        }
        let seal = signature.seal
        summary.sealName = seal.name
        summary.sealID = seal.esID
        summary.signingTime = signature.toSign.timeInfo.date
        let timeInfo = signature.toSign.timeInfo
        if let quirk = timeInfo.quirk { summary.quirks.append("timeInfo: \(quirk)") }
        if timeInfo.date != nil, !timeInfo.hasExplicitZone {
            summary.quirks.append("timeInfo '\(timeInfo.text)' names no time zone: UTC+08:00 was assumed")
        }
        summary.algorithm = signature.signatureAlgorithm == SignatureAlgorithm.sm2WithSM3.oid
            ? "SM2-SM3" : "\(signature.signatureAlgorithm)"
        if let algorithm = SignatureAlgorithm(oid: signature.signatureAlgorithm), algorithm.isSHA1 {
            summary.algorithm = "\(algorithm)"
            summary.weakAlgorithm = "\(algorithm)"
        }
        let signerCertificate = try? Certificate.cached(der: signature.signerCertificate)
        summary.signer = signerCertificate?.subject
        summary.signerSerial = signerCertificate?.serialNumberHex

        // Seal.esl must be the very seal the signature embeds.
        if let sealFile {
            if sealFile.elementsEqual(seal.derEncoded) {
                checks.append(.passed("sealFile", .integrity, "Seal.esl is byte-identical to the seal inside the signature"))
            } else {
                checks.append(
                    .failed(
                        "sealFile", .integrity, .hashFailure,
                        "Seal.esl differs from the seal inside the signature: the seal file was replaced after signing"))
            }
        }
        let property = signature.toSign.propertyInfo
        if property.contains("/"), PackagePath.resolve(property, relativeTo: "") != signaturePath {
            checks.append(
                .warning(
                    "propertyInfo", .integrity,
                    "propertyInfo names \(property), not this signature's Signature.xml (/\(signaturePath))"))
        }
        // A few producers put base64(SM3(Signature.xml)) in dataHash; the seal layer hashes the content itself.
        let digest = Digest.hash(.sm3, signatureXML)
        let signedData: SealSignedData =
            signature.toSign.dataHash.octets(padTo: 32) != digest
                && Array(signature.toSign.dataHash.bytes) == Array(Base64.encode(digest).utf8)
            ? .digest(Array(signature.toSign.dataHash.bytes)) : .content(signatureXML)
        let sealChecks = SealVerifier.verify(
            signature: signature, signedData: signedData, trust: trust, at: date, revocation: revocation)
        checks += sealChecks
        summary.timestamped = sealChecks.contains { $0.name == SealCheckName.timestamp && $0.status == .passed }
        return summary
    }
}
