import Foundation
import SwiftASN1

extension CMSSignedData {
    /// Verifies the first signer against the digest of the detached content.
    ///
    /// - Parameters:
    ///   - contentDigest: the content hashed with the SignerInfo's digest algorithm (see ``digestAlgorithms``).
    ///   - trust: roots/intermediates/CRLs for chain validation; nil skips trust.
    ///   - time: when to validate the chain; default: the time-stamp's time if one verifies, else now.
    ///   - sm2ID: the SM2 distinguishing ID (default `1234567812345678`).
    public func verify(
        contentDigest: [UInt8], trust: TrustStore? = nil, at time: Date? = nil,
        sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) -> CMSVerification {
        verify(content: nil, digest: contentDigest, trust: trust, at: time, sm2ID: sm2ID)
    }

    /// Verifies the first signer against the content (detached, or the attached eContent when `content` is nil).
    public func verify(
        content: [UInt8]?, trust: TrustStore? = nil, at time: Date? = nil, sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) -> CMSVerification {
        verify(content: content ?? encapsulatedContent ?? [], digest: nil, trust: trust, at: time, sm2ID: sm2ID)
    }

    /// Verifies every SignerInfo (parallel signatures in one SignedData), in order.
    public func verifyAll(
        content: [UInt8]?, trust: TrustStore? = nil, at time: Date? = nil, sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) -> [CMSVerification] {
        if signerInfos.isEmpty { return [verify(content: content, trust: trust, at: time, sm2ID: sm2ID)] }
        return signerInfos.indices.map { index in
            verify(content: content ?? encapsulatedContent ?? [], digest: nil, trust: trust, at: time, sm2ID: sm2ID, signerIndex: index)
        }
    }

    private func verify(
        content: [UInt8]?, digest: [UInt8]?, trust: TrustStore?, at requestedTime: Date?, sm2ID: [UInt8],
        signerIndex: Int = 0
    ) -> CMSVerification {
        var failures: [CMSVerification.Failure] = []
        guard signerIndex < signerInfos.count else {
            return CMSVerification(
                signerCertificate: nil, digestAlgorithm: nil, signatureAlgorithm: nil, isDigestValid: false,
                isSignatureValid: false, signingTime: nil, timeStamp: nil, chain: nil,
                validationTime: requestedTime ?? Date(), failures: [.noSigner])
        }
        let signerInfo = signerInfos[signerIndex]
        let certificate = self.certificate(for: signerInfo, extra: trust?.intermediates ?? [])
        if certificate == nil { failures.append(.signerCertificateMissing) }
        let digestAlgorithm = signerInfo.digestAlgorithm
        let signatureAlgorithm = signerInfo.signatureAlgorithm
        if digestAlgorithm == nil { failures.append(.unsupportedAlgorithm(signerInfo.digestAlgorithmOID.description)) }
        if signatureAlgorithm == nil { failures.append(.unsupportedAlgorithm(signerInfo.signatureAlgorithmOID.description)) }

        var digestValid = false
        var signatureValid = false
        if let digestAlgorithm, let signatureAlgorithm {
            if let signedBytes = signerInfo.signedAttributesForSignature {
                let actual = digest ?? Digest.hash(digestAlgorithm, content ?? [])
                digestValid = signerInfo.messageDigest == actual
                if !digestValid { failures.append(.digestMismatch) }
                if signerInfo.contentType != encapsulatedContentType { failures.append(.contentTypeMismatch) }
                if let certificate {
                    signatureValid = certificate.publicKey.verify(
                        signature: signerInfo.signature, for: signedBytes, algorithm: signatureAlgorithm, sm2ID: sm2ID)
                }
            } else if let content {
                // GB/T 35275 style without attributes: the signature covers the content itself.
                if let certificate {
                    signatureValid = certificate.publicKey.verify(
                        signature: signerInfo.signature, for: content, algorithm: signatureAlgorithm, sm2ID: sm2ID)
                }
                digestValid = signatureValid
            } else {
                failures.append(.contentRequired)
            }
            if certificate != nil, !signatureValid, !failures.contains(.contentRequired) { failures.append(.signatureInvalid) }
        }
        if let usage = certificate?.keyUsage, usage.isDisjoint(with: [.digitalSignature, .nonRepudiation]) {
            failures.append(.keyUsageNotPermitted)
        }
        if let certificate, let attributes = signerInfo.signedAttributes {
            if let v2 = attributes.first(OIDs.signingCertificateV2)?.values.first,
                !ESSSigningCertificate.matches(valueDER: v2, certificate: certificate, isV2: true)
            {
                failures.append(.signingCertificateMismatch)
            } else if let v1 = attributes.first(OIDs.signingCertificate)?.values.first,
                !ESSSigningCertificate.matches(valueDER: v1, certificate: certificate, isV2: false)
            {
                failures.append(.signingCertificateMismatch)
            }
        }

        var timeStamp: TimeStampVerification? = nil
        if let tokenDER = signerInfo.timeStampTokenDER {
            let verification = TimeStampVerification.verify(
                tokenDER: tokenDER, messageImprintOf: signerInfo.signature, trust: trust, sm2ID: sm2ID)
            timeStamp = verification
            failures.append(contentsOf: verification.failures.map { .timeStamp($0.description) })
        }
        let validationTime = requestedTime ?? (timeStamp?.isValid == true ? timeStamp?.genTime : nil) ?? Date()
        var chain: ChainValidation? = nil
        if let trust, let certificate {
            let result = trust.validate(certificate, intermediates: certificates, at: validationTime)
            chain = result
            failures.append(contentsOf: result.failures.map { .chain($0) })
        }
        return CMSVerification(
            signerCertificate: certificate, digestAlgorithm: digestAlgorithm, signatureAlgorithm: signatureAlgorithm,
            isDigestValid: digestValid, isSignatureValid: signatureValid, signingTime: signerInfo.signingTime,
            timeStamp: timeStamp, chain: chain, validationTime: validationTime, failures: failures)
    }
}
