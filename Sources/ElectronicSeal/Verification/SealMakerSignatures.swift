import SealCrypto
import SealReport
import Synchronization

/// The seal maker's signature over a seal, checked once per distinct seal in a process.
///
/// A licence office applies the same few seals thousands of times a day, and a customs house verifies
/// declarations that carry the same company seals over and over. The maker's signature is a property of the seal's
/// bytes alone (the maker certificate, algorithm, signature value and signed content all lie inside them), so a
/// passed check is remembered by the SHA-256 of the seal's encoding: a changed byte is a different key. A check
/// that did not pass is never remembered. Chains, validity periods, revocation and the signer's own signature are
/// still checked on every use, as ``Certificate/isSignatureValid(issuerKey:sm2ID:)`` does for certificates.
enum SealMakerSignatures {
    /// The ``SealCheckName/sealMakerSignature`` check of a seal: remembered when it passed before, computed otherwise.
    static func check(_ seal: SESeal) -> Check {
        let key = Digest.hash(.sha256, seal.derEncoded)
        if let known = passed.withLock({ $0[key] }) { return known }
        let check = SealVerifier.signatureCheck(
            SealCheckName.sealMakerSignature, certificate: try? Certificate.cached(der: seal.makerCertificate),
            certificateName: "seal maker", algorithmOID: seal.signInfo.signatureAlgorithm,
            value: seal.signInfo.signature, message: seal.makerSignedContent)
        if check.status == .passed {
            passed.withLock { checks in
                if checks.count >= 4096 { checks.removeAll(keepingCapacity: true) }
                checks[key] = check
            }
        }
        return check
    }

    /// Whether a passed check of this seal is remembered (for tests).
    static func isRemembered(_ seal: SESeal) -> Bool {
        let key = Digest.hash(.sha256, seal.derEncoded)
        return passed.withLock { $0[key] != nil }
    }

    /// Passed checks by the SHA-256 of the seal's encoding (bounded; emptied when full).
    private static let passed = Mutex<[[UInt8]: Check]>([:])
}
