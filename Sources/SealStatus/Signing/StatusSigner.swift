public import Foundation
public import SealCrypto
public import SealPipeline

/// The installation's status key: signs status documents and usage-log checkpoints.
///
/// A signature is a detached CMS SignedData (DER) over the exact bytes served: digest SHA-256 (SM3 for an SM2
/// key), signed attributes contentType, signingTime, messageDigest and signingCertificateV2, the signer's
/// certificate and chain embedded. `openssl cms -verify -binary -inform DER -content BODY` checks it
/// (Docs/status-service.md).
public struct StatusSigner: Sendable {
    public let signer: any Signer
    /// Who answers for the seals: the `issuer` field of every document (default: the certificate's subject).
    public let issuer: String

    public init(signer: any Signer, issuer: String? = nil) {
        self.signer = signer
        self.issuer = issuer ?? signer.certificate?.subject ?? "SealPress"
    }

    /// Loads the key a reference names (`file:/k.pem?cert=/c.pem`, `pkcs12:/s.p12?password-env=VAR`).
    ///
    /// - Throws: ``StatusError`` with code `statusKeyUnusable`, saying what to fix.
    public static func load(_ reference: String, issuer: String? = nil) throws(StatusError) -> StatusSigner {
        guard let parsed = KeyReference(reference) else {
            throw StatusError(
                .statusKeyUnusable,
                "the status key must look like file:/key.pem?cert=/cert.pem or pkcs12:/key.p12?password-env=VAR")
        }
        do {
            let signer = try KeyResolver.signer(for: parsed)
            return StatusSigner(signer: signer, issuer: issuer)
        } catch {
            throw StatusError(.statusKeyUnusable, "the status key cannot be loaded: \(error.reason)")
        }
    }

    /// The digest the signature uses: SM3 for an SM2 key, otherwise SHA-256.
    public var digestAlgorithm: DigestAlgorithm { signer.algorithm == .sm2WithSM3 ? .sm3 : .sha256 }

    /// A detached CMS signature (DER ContentInfo) over `content`, signed at `time`.
    public func sign(_ content: [UInt8], at time: Date = Date()) throws(StatusError) -> [UInt8] {
        do {
            return try CMSSignedData.signDetached(
                contentDigest: Digest.hash(digestAlgorithm, content), digestAlgorithm: digestAlgorithm, signer: signer,
                options: CMSSignOptions(signingTime: time))
        } catch {
            throw StatusError(.signingFailed, "the status key could not sign: \(error)")
        }
    }

    /// The status certificate and its chain as PEM (served at `/status/v1/certificate`).
    public var certificatesPEM: String {
        ([signer.certificate].compactMap { $0 } + signer.certificateChain).map(\.pemRepresentation).joined()
    }
}
