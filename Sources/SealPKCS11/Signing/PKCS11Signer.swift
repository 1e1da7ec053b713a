internal import CSealPKCS11
public import SealCrypto

/// A ``Signer`` whose private key stays in a PKCS#11 token: SealPress hands the token the message (RSA, which
/// hashes inside the token: CKM_SHA256/384/512_RSA_PKCS, CKM_SHA256_RSA_PKCS_PSS) or its digest (ECDSA:
/// CKM_ECDSA over a SHA-2 digest computed here, the raw `r‖s` answer converted to DER), or — for SM2 — the
/// message under the vendor mechanism the URI names (`sm2-mechanism=`).
///
/// As a ``DigestSigner`` (what `sealpress keys serve` needs) it signs a digest computed elsewhere: RSA PKCS#1 v1.5
/// through CKM_RSA_PKCS over the DigestInfo built here, RSA-PSS through CKM_RSA_PKCS_PSS with the hash in its
/// parameters, ECDSA through CKM_ECDSA. SM2 over `e` is refused (`unsupportedAlgorithm`): the vendor mechanisms
/// SealPress knows hash the message themselves.
///
/// Made by ``PKCS11Keys/signer(for:environment:sessions:)``, which proved the key and certificate belong
/// together by signing a random challenge and verifying it with the certificate's key; ``publicKey`` is
/// therefore the certificate's key. Errors from ``sign(_:)`` are ``CryptoError``s: `keyUnavailable` when the
/// token or session went away (retry; the pool re-opens), `signingFailed` otherwise.
public struct PKCS11Signer: DigestSigner {
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
            throw Self.cryptoError(error)
        }
    }

    /// Signs a digest computed elsewhere (see the type's description for the mechanisms).
    ///
    /// - Throws: ``CryptoError``: `invalidArgument` for a digest of the wrong length, `unsupportedAlgorithm` for SM2
    ///   or a scheme that does not fit the key, `keyUnavailable` when the token went away, `signingFailed` otherwise.
    public func signDigest(_ digest: [UInt8], algorithm requested: SignatureAlgorithm) throws -> [UInt8] {
        guard requested.isAllowedForSigning else {
            throw CryptoError(.unsupportedAlgorithm, "\(requested) cannot sign a precomputed digest")
        }
        guard digest.count == requested.digest.outputByteCount else {
            throw CryptoError(
                .invalidArgument, "a \(requested) digest has \(requested.digest.outputByteCount) bytes, not \(digest.count)")
        }
        if let keyAlgorithm = publicKey?.algorithm, !requested.fits(keyAlgorithm) {
            throw CryptoError(.unsupportedAlgorithm, "\(requested) does not fit the token's \(keyAlgorithm) key")
        }
        do {
            return try signDigestOnToken(digest, algorithm: requested)
        } catch {
            throw Self.cryptoError(error)
        }
    }

    /// ``signDigest(_:algorithm:)`` throwing the token's own error.
    public func signDigestOnToken(_ digest: [UInt8], algorithm requested: SignatureAlgorithm) throws(PKCS11Error) -> [UInt8] {
        try perform(Self.digestRequest(for: requested, digest: digest), algorithm: requested)
    }

    /// Signs with the token, throwing the token's own error (resolution and tests use it).
    public func signOnToken(_ message: [UInt8]) throws(PKCS11Error) -> [UInt8] {
        try perform(Self.request(for: algorithm, message: message, sm2Mechanism: uri.sm2Mechanism), algorithm: algorithm)
    }

    private static func cryptoError(_ error: PKCS11Error) -> CryptoError {
        switch error.code {
        case .tokenUnavailable, .tokenNotFound: CryptoError(.keyUnavailable, error.reason)
        case .unsupportedAlgorithm: CryptoError(.unsupportedAlgorithm, error.reason)
        default: CryptoError(.signingFailed, error.reason)
        }
    }

    private func perform(_ request: Request, algorithm: SignatureAlgorithm) throws(PKCS11Error) -> [UInt8] {
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

    /// DER of DigestInfo up to the digest itself (RFC 8017 §9.2 note 1): the digest follows.
    static func digestInfoPrefix(_ digest: DigestAlgorithm) -> [UInt8]? {
        switch digest {
        case .sha256: [0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]
        case .sha384: [0x30, 0x41, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30]
        case .sha512: [0x30, 0x51, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40]
        default: nil
        }
    }

    private static func digestRequest(for algorithm: SignatureAlgorithm, digest: [UInt8]) throws(PKCS11Error) -> Request {
        switch algorithm {
        case .rsaPKCS1SHA256, .rsaPKCS1SHA384, .rsaPKCS1SHA512:
            guard let prefix = digestInfoPrefix(algorithm.digest) else { break }
            return Request(mechanism: CK.rsaPKCS, data: prefix + digest, rawECSignature: false)
        case .rsaPSSSHA256:
            return Request(
                mechanism: CK.rsaPKCSPSS, pss: CK_RSA_PKCS_PSS_PARAMS(hashAlg: CK.sha256, mgf: CK.mgf1SHA256, sLen: 32),
                data: digest, rawECSignature: false)
        case .ecdsaWithSHA256, .ecdsaWithSHA384, .ecdsaWithSHA512:
            return Request(mechanism: CK.ecdsa, data: digest, rawECSignature: true)
        case .sm2WithSM3:
            throw PKCS11Error(
                .unsupportedAlgorithm,
                "a PKCS#11 token cannot sign an SM2 digest e: the vendor mechanisms hash the message themselves; "
                    + "let the signing service hold the SM2 key as a file or PKCS#12 key instead")
        default:
            break
        }
        throw PKCS11Error(.unsupportedAlgorithm, "\(algorithm) is not used for signing")
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
