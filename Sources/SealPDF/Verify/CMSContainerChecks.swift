import Foundation
import SealCrypto
import SealReport

/// Turns SealCrypto's verification of a /Contents CMS SignedData into the PDF report's integrity checks.
///
/// The CMS is parsed and verified by ``CMSSignedData`` (DER or BER, PKCS#7 or GM/T 0010 OIDs) — the same code the
/// OFD engine and the RFC 3161 client use; this type only names the outcome (`digest`, `signature`,
/// `signingCertificate`, `cmsStructure`) with its ETSI EN 319 102-1 sub-indication. Trust (chain, timestamp)
/// is judged by the caller at the proven signing time.
struct CMSContainerChecks {
    var checks: [Check] = []
    var signerCertificate: Certificate?
    var certificates: [Certificate] = []
    var algorithm: SignatureAlgorithm?
    /// The signingTime attribute (claimed, not proven).
    var claimedSigningTime: Date?
    /// The SignerInfo carries a signature time-stamp token (checked or not).
    var hasTimestampToken = false
    /// The signature time-stamp as the CMS verification checked it (signature and imprint; trust is the caller's).
    var timeStamp: TimeStampVerification?

    /// - Parameters:
    ///   - signedData: the parsed /Contents.
    ///   - contentDigest: the digest of the signed byte ranges for an algorithm.
    ///   - content: the signed bytes themselves (only for signatures without signed attributes).
    init(_ signedData: CMSSignedData, contentDigest: (DigestAlgorithm) -> [UInt8], content: () -> [UInt8]) {
        certificates = signedData.certificates
        guard let signerInfo = signedData.signerInfos.first else {
            checks.append(.failed("cmsStructure", .integrity, .formatFailure, "SignedData has no SignerInfo"))
            return
        }
        if signedData.signerInfos.count > 1 {
            checks.append(.warning("cmsStructure", .integrity, "\(signedData.signerInfos.count) SignerInfos; the first is checked"))
        }
        hasTimestampToken = signerInfo.timeStampTokenDER != nil
        claimedSigningTime = signerInfo.signingTime
        algorithm = signerInfo.signatureAlgorithm
        signerCertificate = signedData.certificate(for: signerInfo)
        guard signerCertificate != nil else {
            checks.append(
                .indeterminate(
                    "signingCertificate", .trust, .noSigningCertificateFound, "the signer's certificate is not in the signature"))
            // The messageDigest attribute needs no key: bytes changed after signing fail here as anywhere. Without
            // the key nothing proves the attributes themselves genuine, so integrity is never "passed".
            if signerInfo.signedAttributes != nil, let digest = signerInfo.digestAlgorithm,
                let claimed = signerInfo.messageDigest
            {
                guard claimed == contentDigest(digest) else {
                    checks.append(Self.digestMismatch(digest))
                    return
                }
                checks.append(Self.digestMatches(digest))
            }
            checks.append(
                .indeterminate(
                    "signature", .integrity, .noSigningCertificateFound,
                    "the signature value cannot be checked without the signer's certificate"))
            return
        }
        guard let digest = signerInfo.digestAlgorithm else {
            checks.append(
                .indeterminate(
                    "digest", .integrity, .cryptoConstraintsFailure,
                    "the digest algorithm \(signerInfo.digestAlgorithmOID) is not supported, so the signature cannot be checked"))
            return
        }
        guard let algorithm else {
            checks.append(
                .indeterminate(
                    "signature", .integrity, .cryptoConstraintsFailure,
                    "the signature algorithm \(signerInfo.signatureAlgorithmOID) is not supported, so the signature cannot be checked"))
            return
        }
        let verification: CMSVerification
        if signerInfo.signedAttributes != nil {
            guard signerInfo.contentType != nil, signerInfo.messageDigest != nil else {
                checks.append(
                    .failed("cmsStructure", .integrity, .formatFailure, "signed attributes lack contentType or messageDigest"))
                return
            }
            verification = signedData.verify(contentDigest: contentDigest(digest))
            timeStamp = verification.timeStamp
            if verification.failures.contains(.digestMismatch) {
                checks.append(Self.digestMismatch(digest))
                return
            }
            checks.append(Self.digestMatches(digest))
        } else {
            verification = signedData.verify(content: content())
            checks.append(.passed("digest", .integrity, "no signed attributes: the signature covers the bytes directly"))
        }
        timeStamp = verification.timeStamp
        if verification.isSignatureValid {
            checks.append(.passed("signature", .integrity, "\(algorithm) signature verifies with the signer's key"))
            if digest == .sha1 || algorithm == .rsaPKCS1SHA1 || algorithm == .ecdsaWithSHA1 {
                checks.append(Self.weakDigestCheck)
            }
        } else {
            checks.append(.failed("signature", .integrity, .sigCryptoFailure, "the \(algorithm) signature does not verify"))
        }
        if verification.failures.contains(.signingCertificateMismatch) {
            checks.append(
                .failed(
                    "signingCertificate", .integrity, .sigCryptoFailure,
                    "the signed signingCertificate attribute names another certificate than the one that signed"))
        }
    }

    static func digestMatches(_ digest: DigestAlgorithm) -> Check {
        .passed("digest", .integrity, "\(digest) of the signed bytes matches messageDigest")
    }

    static func digestMismatch(_ digest: DigestAlgorithm) -> Check {
        .failed("digest", .integrity, .hashFailure, "the signed bytes changed after signing (\(digest) mismatch)")
    }

    /// SHA-1 signatures that verify: the same policy as OFD's (Docs/pdf-signing.md, "Verifier policy by class").
    static let weakDigestCheck = Check.indeterminate(
        "signatureAlgorithm", .integrity, .cryptoConstraintsFailure,
        "the signature uses SHA-1: SHA-1 no longer protects against forgery, so a signature value that verifies "
            + "does not prove the document unchanged")
}
