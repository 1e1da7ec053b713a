public import Foundation
public import SealCrypto

/// Checks a detached CMS signature over served bytes (a status document or a checkpoint statement).
public enum SignedStatementVerifier {
    /// What a verified signature tells: who signed and when.
    public struct Signed: Sendable {
        public var signer: Certificate
        public var signingTime: Date?
    }

    /// Verifies `signatureDER` over `content`; with `trust`, the signer must chain to one of its roots.
    ///
    /// - Throws: ``StatusError`` `invalidSignature` (broken, missing, over other bytes) or `untrustedSigner`.
    public static func verify(
        content: [UInt8], signatureDER: [UInt8], trust: TrustStore?
    ) throws(StatusError) -> Signed {
        let signedData: CMSSignedData
        do {
            signedData = try CMSSignedData(der: signatureDER)
        } catch {
            throw StatusError(.invalidSignature, "the signature is not a CMS SignedData")
        }
        let verification = signedData.verify(content: content, trust: trust)
        guard verification.isIntact, let signer = verification.signerCertificate else {
            let reasons = verification.failures.map(\.description).joined(separator: "; ")
            throw StatusError(.invalidSignature, "the signature does not verify over the response (\(reasons))")
        }
        let chainFailures = verification.failures.filter {
            if case .chain = $0 { return true }
            return false
        }
        if !chainFailures.isEmpty {
            throw StatusError(
                .untrustedSigner,
                "the response is signed by \(signer.subject), which does not chain to a trusted status root ("
                    + chainFailures.map(\.description).joined(separator: "; ") + ")")
        }
        guard verification.failures.isEmpty else {
            throw StatusError(
                .invalidSignature,
                "the signature does not verify: " + verification.failures.map(\.description).joined(separator: "; "))
        }
        return Signed(signer: signer, signingTime: verification.signingTime)
    }
}
