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
    let trust: TrustStore?
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
        trustChecks(signature: signature, signer: signerCertificate, summary: &summary, into: &checks)
        return summary
    }

    /// GB/T 38540 §7.3 steps 3-5 and 7: the signer in the seal, the seal maker's signature, chains and validity
    /// at the signing time, and the timestamp.
    func trustChecks(
        signature: SESSignature, signer: Certificate, summary: inout OFDSignatureVerification.Summary,
        into checks: inout [Check]
    ) {
        let seal = signature.seal
        let property = seal.sealInfo.property
        // The signer certificate must be one the seal lists.
        switch property.certList {
        case .certificateIdentifiers:
            checks.append(
                .indeterminate(
                    "signerInSeal", .trust, .noSigningCertificateFound,
                    "the seal lists certificate identifiers, not certificates: the signer cannot be matched"))
        default:
            if OFDSealRequirements.contains(property.certList, signer) {
                checks.append(.passed("signerInSeal", .trust, "the signer certificate is in the seal's certificate list"))
            } else {
                checks.append(
                    .failed(
                        "signerInSeal", .trust, .sigConstraintsFailure,
                        "the signer certificate is not in the seal's certificate list: the seal was used by someone it "
                            + "was not issued to"))
            }
        }
        // The seal maker's signature over the seal.
        let maker = try? Certificate(der: Array(seal.makerCertificate))
        if let maker {
            let algorithm = SignatureAlgorithm(oid: seal.signInfo.signatureAlgorithm) ?? .sm2WithSM3
            let good = SM2SignatureValue.candidates(seal.signInfo.signature).contains {
                maker.publicKey.verify(signature: $0, for: seal.makerSignedContent, algorithm: algorithm)
            }
            checks.append(
                good
                    ? .passed("sealMakerSignature", .trust, "the seal maker's signature over the seal (\(seal.version)) verifies")
                    : .failed(
                        "sealMakerSignature", .trust, .sigCryptoFailure,
                        "the seal maker's signature over the seal does not verify: the seal was forged or altered"))
        } else {
            checks.append(
                .failed(
                    "sealMakerSignature", .trust, .noSigningCertificateFound,
                    "the seal maker's certificate cannot be parsed"))
        }
        // The signing time: the timestamp when one verifies, else the signer's claim.
        let claimed = signature.toSign.timeInfo.date
        let time = claimed ?? date
        if signature.timeStamp != nil {
            checks.append(
                .indeterminate(
                    "timestamp", .trust, .tryLater,
                    "the signature carries a timestamp token, which this verifier does not check yet"))
        } else {
            checks.append(.skipped("timestamp", .trust, "the signature carries no timestamp"))
        }
        if claimed == nil {
            checks.append(
                .indeterminate(
                    "signingTime", .trust, .formatFailure,
                    "the signing time (timeInfo) cannot be read; checks use the verification time"))
        }
        // Seal validity at the signing time.
        if let start = property.validStart.date, let end = property.validEnd.date {
            if time < start || time > end {
                // Without a verified timestamp the signing time is only the signer's claim: not proof.
                checks.append(
                    .indeterminate(
                        "sealValidity", .trust, .outOfBoundsNoPOE,
                        "the claimed signing time \(OFDTrustChecks.iso(time)) lies outside the seal's validity "
                            + "(\(OFDTrustChecks.iso(start)) to \(OFDTrustChecks.iso(end))) and no timestamp proves otherwise"))
            } else {
                checks.append(
                    .passed(
                        "sealValidity", .trust,
                        "the seal was valid at the signing time (\(OFDTrustChecks.iso(start)) to \(OFDTrustChecks.iso(end)))"))
            }
        } else {
            checks.append(
                .indeterminate(
                    "sealValidity", .trust, .formatFailure, "the seal's validity period cannot be read"))
        }
        checks.append(
            OFDTrustChecks.chain(
                "signerCertificate", of: "signer", certificate: signer, extra: [], trust: trust, at: time))
        if let maker {
            checks.append(
                OFDTrustChecks.chain(
                    "sealMakerCertificate", of: "seal maker", certificate: maker, extra: [], trust: trust, at: time))
        }
    }
}
