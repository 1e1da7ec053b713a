internal import CSealPKCS11
public import SealCrypto

/// A ``Signer`` whose private key stays in a PKCS#11 token: SealPress hands the token the message (RSA, which
/// hashes inside the token: CKM_SHA256/384/512_RSA_PKCS, CKM_SHA256_RSA_PKCS_PSS) or its digest (ECDSA:
/// CKM_ECDSA over a SHA-2 digest computed here, the raw `r‖s` answer converted to DER), or — for SM2 — the
/// message under the vendor mechanism the URI names (`sm2-mechanism=`).
///
/// Made by ``PKCS11Keys/signer(for:environment:sessions:)``, which proved the key and certificate belong
/// together by signing a random challenge and verifying it with the certificate's key; ``publicKey`` is
/// therefore the certificate's key. Errors from ``sign(_:)`` are ``CryptoError``s: `keyUnavailable` when the
/// token or session went away (retry; the pool re-opens), `signingFailed` otherwise.
public struct PKCS11Signer: Signer {
    public let algorithm: SignatureAlgorithm
    public let certificate: Certificate?
    public let certificateChain: [Certificate]
    public let uri: PKCS11URI
    let pool: PKCS11SessionPool

    init(pool: PKCS11SessionPool, algorithm: SignatureAlgorithm, certificate: Certificate, chain: [Certificate]) {
        self.pool = pool
        self.uri = pool.uri
        self.algorithm = algorithm
        self.certificate = certificate
        self.certificateChain = chain
    }

    public var publicKey: PublicKey? { certificate?.publicKey }

    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        do {
            return try signOnToken(message)
        } catch {
            throw error.code == .tokenUnavailable || error.code == .tokenNotFound
                ? CryptoError(.keyUnavailable, error.reason) : CryptoError(.signingFailed, error.reason)
        }
    }

    /// Signs with the token, throwing the token's own error (resolution and tests use it).
    public func signOnToken(_ message: [UInt8]) throws(PKCS11Error) -> [UInt8] {
        let request = try Self.request(for: algorithm, message: message, sm2Mechanism: uri.sm2Mechanism)
        let raw = try pool.withSession { (session, key) throws(PKCS11Error) -> [UInt8] in
            try session.sign(request.data, mechanism: request.mechanism, pss: request.pss, key: key)
        }
        guard request.rawECSignature else { return raw }
        // CKM_ECDSA answers raw r‖s; some vendors' SM2 mechanisms answer DER.
        if algorithm == .sm2WithSM3, raw.count != 64, let der = ECSignatureEncoding.canonicalDER(raw) { return der }
        do {
            return try ECSignatureEncoding.derFromRaw(raw)
        } catch {
            throw PKCS11Error(.signingFailed, "the token's EC signature has an odd length (\(raw.count) bytes)")
        }
    }

    /// Sessions the pool opened so far (tests).
    public var sessionsOpened: Int { pool.sessionsOpened }

    // MARK: - Mechanisms

    private struct Request {
        var mechanism: CK_MECHANISM_TYPE
        var pss: CK_RSA_PKCS_PSS_PARAMS?
        var data: [UInt8]
        var rawECSignature: Bool
    }

    private static func request(
        for algorithm: SignatureAlgorithm, message: [UInt8], sm2Mechanism: UInt?
    ) throws(PKCS11Error) -> Request {
        switch algorithm {
        case .rsaPKCS1SHA256: return Request(mechanism: CK.sha256RSAPKCS, data: message, rawECSignature: false)
        case .rsaPKCS1SHA384: return Request(mechanism: CK.sha384RSAPKCS, data: message, rawECSignature: false)
        case .rsaPKCS1SHA512: return Request(mechanism: CK.sha512RSAPKCS, data: message, rawECSignature: false)
        case .rsaPSSSHA256:
            return Request(
                mechanism: CK.sha256RSAPKCSPSS, pss: CK_RSA_PKCS_PSS_PARAMS(hashAlg: CK.sha256, mgf: CK.mgf1SHA256, sLen: 32),
                data: message, rawECSignature: false)
        case .ecdsaWithSHA256, .ecdsaWithSHA384, .ecdsaWithSHA512:
            return Request(mechanism: CK.ecdsa, data: Digest.hash(algorithm.digest, message), rawECSignature: true)
        case .sm2WithSM3:
            guard let sm2Mechanism else {
                throw PKCS11Error(
                    .unsupportedAlgorithm,
                    "SM2 in a PKCS#11 token needs the vendor's mechanism: add sm2-mechanism=0x… to the URI (see "
                        + "Docs/operations.md), or sign SM2 through the remote signing service")
            }
            return Request(mechanism: CK_MECHANISM_TYPE(sm2Mechanism), data: message, rawECSignature: true)
        default:
            throw PKCS11Error(.unsupportedAlgorithm, "\(algorithm) is not used for signing")
        }
    }
}
