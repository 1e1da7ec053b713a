import ElectronicSeal
import Foundation
import SealCrypto
import SealReport

/// Checks a `Type="Seal"` signature: SignedValue.dat is an SES_Signature (v1, v4 or v5).
struct OFDSealTypeCheck {
    let signedValue: [UInt8]
    let signatureXML: [UInt8]
    let signaturePath: String
    let sealFile: [UInt8]?
    let date: Date

    func run(into checks: inout [Check]) -> OFDSignatureVerification.Summary {
        var summary = OFDSignatureVerification.Summary()
        let signature: SESSignature
        do {
            signature = try SESSignature(bytes: signedValue)
        } catch {
            checks.append(
                .failed(
                    "signedValue", .integrity, .formatFailure,
                    "SignedValue.dat is not an SES_Signature (GB/T 38540 or GM/T 0031): \(error)"))
            return summary
        }
        let seal = signature.seal
        summary.sealName = seal.name
        summary.sealID = seal.esID
        summary.signingTime = signature.toSign.timeInfo.date
        summary.algorithm = signature.signatureAlgorithm == SignatureAlgorithm.sm2WithSM3.oid
            ? "SM2-SM3" : "\(signature.signatureAlgorithm)"
        let signerCertificate = try? Certificate(der: Array(signature.signerCertificate))
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
        // dataHash = SM3(Signature.xml as stored).
        let digest = Digest.hash(.sm3, signatureXML)
        let dataHash = signature.toSign.dataHash.octets(padTo: 32)
        if dataHash == digest {
            checks.append(.passed("dataHash", .integrity, "dataHash equals SM3 of Signature.xml"))
        } else if dataHash == Array(Base64.encode(digest).utf8) {
            checks.append(.passed("dataHash", .integrity, "dataHash equals base64(SM3(Signature.xml)) (non-standard form)"))
        } else {
            checks.append(
                .failed(
                    "dataHash", .integrity, .hashFailure,
                    "Signature.xml changed after signing: its SM3 digest does not match the signed dataHash"))
        }
        let property = signature.toSign.propertyInfo
        if property.contains("/"), PackagePath.resolve(property, relativeTo: "") != signaturePath {
            checks.append(
                .warning(
                    "propertyInfo", .integrity,
                    "propertyInfo names \(property), not this signature's Signature.xml (/\(signaturePath))"))
        }
        // The signature value over the original toSign bytes.
        guard let signerCertificate else {
            checks.append(
                .failed(
                    "signatureValue", .integrity, .noSigningCertificateFound,
                    "the signer certificate in the SES_Signature cannot be parsed"))
            return summary
        }
        let algorithm = SignatureAlgorithm(oid: signature.signatureAlgorithm) ?? .sm2WithSM3
        let message = Array(signature.signedContent)
        let verified = SM2SignatureValue.candidates(signature.signature).contains {
            signerCertificate.publicKey.verify(signature: $0, for: message, algorithm: algorithm)
        }
        if verified {
            checks.append(
                .passed(
                    "signatureValue", .integrity,
                    "the \(signature.version) signature over TBS_Sign verifies with the signer certificate"))
        } else {
            checks.append(
                .failed(
                    "signatureValue", .integrity, .sigCryptoFailure,
                    "the signature over TBS_Sign does not verify with the signer certificate"))
        }
        return summary
    }
}
