import Foundation
import SealCrypto
import SealReport

/// The integrity checks of an `adbe.x509.rsa_sha1` signature: /Contents is a DER OCTET STRING holding a PKCS#1
/// v1.5 RSA signature over the byte ranges (a DigestInfo, SHA-1 by the name, another hash by some producers: the
/// DigestInfo's own algorithm is used), made by the first certificate of /Cert.
///
/// - a value that is not an OCTET STRING: FAILED `FORMAT_FAILURE` (`cmsStructure`);
/// - a value that is not a PKCS#1 v1.5 signature of the certificate's key (wrong key, damaged): FAILED
///   `SIG_CRYPTO_FAILURE`;
/// - a DigestInfo over other bytes: FAILED `HASH_FAILURE`;
/// - a hash SealCrypto does not know: INDETERMINATE `CRYPTO_CONSTRAINTS_FAILURE`;
/// - SHA-1 that matches: INDETERMINATE `CRYPTO_CONSTRAINTS_FAILURE` (the policy of every SHA-1 signature).
struct RawRSASignatureChecks {
    var checks: [Check] = []
    var algorithmName: String?
    /// False when the value could not be read at all (nothing else is worth checking).
    var isReadable = true

    init(_ contents: [UInt8], certificate: Certificate, contentDigest: (DigestAlgorithm) -> [UInt8]) {
        guard let value = PKCS1DigestInfo.octetString(atStartOf: contents) else {
            checks.append(
                .failed(
                    "cmsStructure", .integrity, .formatFailure,
                    "/Contents of an adbe.x509.rsa_sha1 signature is not a DER OCTET STRING holding the RSA signature"))
            isReadable = false
            return
        }
        guard certificate.publicKey.algorithm.isRSA else {
            checks.append(
                .failed(
                    "signature", .integrity, .sigCryptoFailure,
                    "adbe.x509.rsa_sha1 needs an RSA key, and the /Cert certificate has a \(certificate.publicKey.algorithm) key"))
            return
        }
        guard let info = PKCS1DigestInfo.recover(signature: value, key: certificate.publicKey) else {
            checks.append(
                .failed(
                    "signature", .integrity, .sigCryptoFailure,
                    "the value is not an RSA PKCS#1 v1.5 signature made with the key of the /Cert certificate "
                        + "(\(certificate.subject))"))
            return
        }
        guard let digest = info.algorithm else {
            checks.append(
                .indeterminate(
                    "digest", .integrity, .cryptoConstraintsFailure,
                    "the digest algorithm \(info.algorithmOID) is not supported, so the signature cannot be checked"))
            return
        }
        algorithmName = "RSA-" + digest.description.replacingOccurrences(of: "-", with: "")
        guard contentDigest(digest) == info.digest else {
            checks.append(
                .failed("digest", .integrity, .hashFailure, "the signed bytes changed after signing (\(digest) mismatch)"))
            return
        }
        checks.append(.passed("digest", .integrity, "\(digest) of the signed bytes matches the signed DigestInfo"))
        checks.append(.passed("signature", .integrity, "RSA PKCS#1 v1.5 signature verifies with the signer's key"))
        if digest == .sha1 { checks.append(CMSContainerChecks.weakDigestCheck) }
    }
}
