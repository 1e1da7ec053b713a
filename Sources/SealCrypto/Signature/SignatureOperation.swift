internal import CSealSSL
import Synchronization

/// One sign or verify operation over an `EVP_PKEY` (a fresh context per call; keys stay immutable).
enum SignatureOperation {
    static func sign(
        key: EVPKey, message: UnsafeRawBufferPointer, algorithm: SignatureAlgorithm, sm2ID: [UInt8]
    ) throws(CryptoError) -> [UInt8] {
        guard algorithm.isAllowedForSigning else {
            throw CryptoError(.unsupportedAlgorithm, "\(algorithm) is accepted for verification only")
        }
        if algorithm != .sm2WithSM3 {
            return try signDigest(key: key, digest: Digest.hash(algorithm.digest, message), algorithm: algorithm)
        }
        let md = try copyOfTemplate(key: key, algorithm: algorithm, sm2ID: sm2ID, forSigning: true)
        // EVP_PKEY_get_size bounds every signature of the key (DER ECDSA/SM2 included).
        var length = Int(EVP_PKEY_get_size(key.ref))
        var signature = [UInt8](repeating: 0, count: max(length, 16))
        try ossl("EVP_DigestSign", code: .signingFailed) {
            signature.withUnsafeMutableBufferPointer {
                EVP_DigestSign(md.ref, $0.baseAddress, &length, message.baseAddress, message.count)
            }
        }
        return Array(signature.prefix(length))
    }

    /// Signs a digest computed elsewhere (``SigningDigest``): RSA PKCS#1 v1.5 (DigestInfo built here), RSA-PSS,
    /// ECDSA, and SM2 where `digest` is `e = SM3(Z ‖ M)` — OpenSSL 3's SM2 `EVP_PKEY_sign` signs the given `e`.
    static func sign(key: EVPKey, precomputedDigest digest: [UInt8], algorithm: SignatureAlgorithm) throws(CryptoError) -> [UInt8] {
        guard algorithm.isAllowedForSigning, !algorithm.signsWholeMessage else {
            throw CryptoError(.unsupportedAlgorithm, "\(algorithm) cannot sign a precomputed digest here")
        }
        guard digest.count == algorithm.digest.outputByteCount else {
            throw CryptoError(
                .invalidArgument, "a \(algorithm) digest has \(algorithm.digest.outputByteCount) bytes, not \(digest.count)")
        }
        guard algorithm == .sm2WithSM3 else { return try signDigest(key: key, digest: digest, algorithm: algorithm) }
        guard algorithm.fits(key.algorithm) else {
            throw CryptoError(.unsupportedAlgorithm, "\(algorithm) does not fit a \(key.algorithm) key")
        }
        let context = try PKeyContext(for: key)
        try ossl("EVP_PKEY_sign_init") { EVP_PKEY_sign_init(context.ref) }
        var length = max(Int(EVP_PKEY_get_size(key.ref)), 16)
        var signature = [UInt8](repeating: 0, count: length)
        try ossl("EVP_PKEY_sign", code: .signingFailed) {
            signature.withUnsafeMutableBufferPointer { out in
                digest.withUnsafeBufferPointer { EVP_PKEY_sign(context.ref, out.baseAddress, &length, $0.baseAddress, $0.count) }
            }
        }
        return Array(signature.prefix(length))
    }

    static func verify(
        key: EVPKey, signature: [UInt8], message: UnsafeRawBufferPointer, algorithm: SignatureAlgorithm,
        sm2ID: [UInt8]
    ) -> Bool {
        if algorithm.signsWholeMessage {
            guard algorithm.fits(key.algorithm), let context = try? MessageDigestContext() else { return false }
            ERR_clear_error()
            guard EVP_DigestVerifyInit_ex(context.ref, nil, nil, nil, nil, key.ref, nil) == 1 else {
                ERR_clear_error()
                return false
            }
            let ok = signature.withUnsafeBufferPointer {
                EVP_DigestVerify(context.ref, $0.baseAddress, $0.count, message.baseAddress, message.count)
            }
            ERR_clear_error()
            return ok == 1
        }
        if algorithm != .sm2WithSM3 {
            guard algorithm.fits(key.algorithm) else { return false }
            return verifyDigest(key: key, signature: signature, digest: Digest.hash(algorithm.digest, message), algorithm: algorithm)
        }
        do {
            let md = try copyOfTemplate(key: key, algorithm: algorithm, sm2ID: sm2ID, forSigning: false)
            let ok = signature.withUnsafeBufferPointer {
                EVP_DigestVerify(md.ref, $0.baseAddress, $0.count, message.baseAddress, message.count)
            }
            ERR_clear_error()
            return ok == 1
        } catch {
            return false
        }
    }

    /// ECDSA / RSA over a digest with a pooled, already initialised `EVP_PKEY_CTX`.
    private static func signDigest(key: EVPKey, digest: [UInt8], algorithm: SignatureAlgorithm) throws(CryptoError) -> [UInt8] {
        guard algorithm.fits(key.algorithm) else {
            throw CryptoError(.unsupportedAlgorithm, "\(algorithm) does not fit a \(key.algorithm) key")
        }
        let context = try borrowPKeyContext(key: key, algorithm: algorithm, forSigning: true)
        ERR_clear_error()
        var ok: Int32 = 0
        // EVP_PKEY_get_size bounds every signature of the key; one allocation, trimmed to what was written.
        let signature = [UInt8](unsafeUninitializedCapacity: max(Int(EVP_PKEY_get_size(key.ref)), 16)) { out, count in
            var length = out.count
            ok = digest.withUnsafeBufferPointer { EVP_PKEY_sign(context.ref, out.baseAddress, &length, $0.baseAddress, $0.count) }
            count = ok == 1 ? length : 0
        }
        // A failed context is not returned to the pool; it frees itself.
        guard ok == 1 else { throw CryptoError(.signingFailed, "EVP_PKEY_sign failed", detail: drainOpenSSLErrors()) }
        returnPKeyContext(context, key: key, algorithm: algorithm, forSigning: true)
        return signature
    }

    private static func verifyDigest(key: EVPKey, signature: [UInt8], digest: [UInt8], algorithm: SignatureAlgorithm) -> Bool {
        guard let context = try? borrowPKeyContext(key: key, algorithm: algorithm, forSigning: false) else { return false }
        let ok = signature.withUnsafeBufferPointer { sig in
            digest.withUnsafeBufferPointer { EVP_PKEY_verify(context.ref, sig.baseAddress, sig.count, $0.baseAddress, $0.count) }
        }
        ERR_clear_error()
        // A failed verify leaves the context reusable; an internal error (negative) may not, so drop it then.
        if ok >= 0 { returnPKeyContext(context, key: key, algorithm: algorithm, forSigning: false) }
        return ok == 1
    }

    private static func borrowPKeyContext(key: EVPKey, algorithm: SignatureAlgorithm, forSigning: Bool) throws(CryptoError) -> PKeyContext {
        let id = SignatureTemplateID(algorithm: algorithm, sm2ID: [], forSigning: forSigning)
        if let pooled = key.digestContexts.withLock({ pools in pools[id]?.popLast() }) { return pooled }
        let md = try MessageDigestMethod.method(algorithm.digest)
        let context = try PKeyContext(for: key)
        if forSigning {
            try ossl("EVP_PKEY_sign_init") { EVP_PKEY_sign_init(context.ref) }
        } else {
            try ossl("EVP_PKEY_verify_init") { EVP_PKEY_verify_init(context.ref) }
        }
        if algorithm == .rsaPSSSHA256 {
            try ossl("EVP_PKEY_CTX_set_rsa_padding") { EVP_PKEY_CTX_set_rsa_padding(context.ref, RSA_PKCS1_PSS_PADDING) }
            let salt = forSigning ? RSA_PSS_SALTLEN_DIGEST : RSA_PSS_SALTLEN_AUTO
            try ossl("EVP_PKEY_CTX_set_rsa_pss_saltlen") { EVP_PKEY_CTX_set_rsa_pss_saltlen(context.ref, salt) }
        } else if key.algorithm.isRSA {
            try ossl("EVP_PKEY_CTX_set_rsa_padding") { EVP_PKEY_CTX_set_rsa_padding(context.ref, RSA_PKCS1_PADDING) }
        }
        try ossl("EVP_PKEY_CTX_set_signature_md") { EVP_PKEY_CTX_set_signature_md(context.ref, md) }
        return context
    }

    /// Pools a context for the next operation (at most 32 idle per scheme; the rest free themselves).
    private static func returnPKeyContext(_ context: PKeyContext, key: EVPKey, algorithm: SignatureAlgorithm, forSigning: Bool) {
        let id = SignatureTemplateID(algorithm: algorithm, sm2ID: [], forSigning: forSigning)
        key.digestContexts.withLock { pools in
            if pools[id, default: []].count < 32 { pools[id, default: []].append(context) }
        }
    }

    /// A fresh copy of the key's initialised context for this scheme (made once, then cached on the key).
    private static func copyOfTemplate(
        key: EVPKey, algorithm: SignatureAlgorithm, sm2ID: [UInt8], forSigning: Bool
    ) throws(CryptoError) -> MessageDigestContext {
        let id = SignatureTemplateID(algorithm: algorithm, sm2ID: algorithm == .sm2WithSM3 ? sm2ID : [], forSigning: forSigning)
        return try key.templates.withLock { (cache) throws(CryptoError) -> MessageDigestContext in
            let template: SignatureTemplate
            if let cached = cache[id] {
                template = cached
            } else {
                template = try prepare(key: key, algorithm: algorithm, sm2ID: sm2ID, forSigning: forSigning)
                if cache.count > 16 { cache.removeAll() }
                cache[id] = template
            }
            return try MessageDigestContext(copying: template.context)
        }
    }

    private static func prepare(
        key: EVPKey, algorithm: SignatureAlgorithm, sm2ID: [UInt8], forSigning: Bool
    ) throws(CryptoError) -> SignatureTemplate {
        guard algorithm.fits(key.algorithm) else {
            throw CryptoError(.unsupportedAlgorithm, "\(algorithm) does not fit a \(key.algorithm) key")
        }
        let digest = try MessageDigestMethod.method(algorithm.digest)
        let md = try MessageDigestContext()
        if algorithm == .sm2WithSM3 {
            // OpenSSL 3.0 defaults to an EMPTY SM2 ID; set it on our own pkey context before init. `md` only
            // borrows that context, so the template is a copy, which owns a duplicate of it.
            let pctx = try PKeyContext(for: key)
            defer { withExtendedLifetime(pctx) {} }
            try ossl("EVP_PKEY_CTX_set1_id") {
                sm2ID.withUnsafeBytes { EVP_PKEY_CTX_set1_id(pctx.ref, $0.baseAddress, Int32($0.count)) }
            }
            EVP_MD_CTX_set_pkey_ctx(md.ref, pctx.ref)
            if forSigning {
                try ossl("EVP_DigestSignInit") { EVP_DigestSignInit(md.ref, nil, digest, nil, key.ref) }
            } else {
                try ossl("EVP_DigestVerifyInit") { EVP_DigestVerifyInit(md.ref, nil, digest, nil, key.ref) }
            }
            let template = SignatureTemplate(try MessageDigestContext(copying: md))
            _ = consume md  // freed before the context it borrowed
            return template
        }
        var pctx: OpaquePointer? = nil  // owned by `md`
        if forSigning {
            try ossl("EVP_DigestSignInit") { EVP_DigestSignInit(md.ref, &pctx, digest, nil, key.ref) }
        } else {
            try ossl("EVP_DigestVerifyInit") { EVP_DigestVerifyInit(md.ref, &pctx, digest, nil, key.ref) }
        }
        if algorithm == .rsaPSSSHA256 {
            try ossl("EVP_PKEY_CTX_set_rsa_padding") { EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) }
            let salt = forSigning ? RSA_PSS_SALTLEN_DIGEST : RSA_PSS_SALTLEN_AUTO
            try ossl("EVP_PKEY_CTX_set_rsa_pss_saltlen") { EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) }
        }
        return SignatureTemplate(md)
    }
}
