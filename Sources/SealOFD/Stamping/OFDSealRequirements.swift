import ElectronicSeal
import Foundation
import SealCrypto

/// What must hold before a seal may be used to sign (GB/T 38540 §7.2): it parses, its layout fits the requested
/// SES version, the signer's certificate is in its list, and it is valid at the signing time.
enum OFDSealRequirements {
    static func check(_ sealBytes: [UInt8], request: OFDStampRequest) throws(OFDError) -> SESeal {
        let seal: SESeal
        do {
            seal = try SESeal(bytes: sealBytes)
        } catch {
            throw OFDError(.invalidSeal, "the seal is not a GB/T 38540 or GM/T 0031 SESeal")
        }
        switch (request.sesVersion, seal.version) {
        case (.v4, .v4), (.v4, .v5), (.v1, .v1): break
        case (.v4, .v1):
            throw OFDError(.invalidSeal, "the seal is a GM/T 0031-2014 (v1) seal: sign it with SES version v1")
        case (.v1, _):
            throw OFDError(.invalidSeal, "the seal is a GB/T 38540 (v4) seal: sign it with SES version v4")
        }
        guard let certificate = request.signer.certificate else {
            throw OFDError(.invalidSeal, "the signer has no certificate to match against the seal")
        }
        guard contains(seal.sealInfo.property.certList, certificate) else {
            throw OFDError(
                .invalidSeal, "the signer's certificate is not in the seal's certificate list: this key may not use this seal")
        }
        let property = seal.sealInfo.property
        if let start = property.validStart.date, request.signingTime < start {
            throw OFDError(.invalidSeal, "the seal is not valid before \(property.validStart.text)")
        }
        if let end = property.validEnd.date, request.signingTime > end {
            throw OFDError(.invalidSeal, "the seal expired at \(property.validEnd.text)")
        }
        return seal
    }

    /// Whether a certificate is in a seal's list: byte-equal, or a digest of it under a named algorithm.
    static func contains(_ list: SESCertList, _ certificate: Certificate) -> Bool {
        switch list {
        case .certificates(let certificates):
            return certificates.contains { $0.elementsEqual(certificate.der) }
        case .certificateDigests(let digests):
            return digests.contains { entry in
                let candidates: [DigestAlgorithm] = [.sm3, .sha256, .sha1, .sha384, .sha512]
                return candidates.contains { entry.value.elementsEqual(Digest.hash($0, certificate.der)) }
            }
        case .certificateIdentifiers:
            return false
        }
    }
}
