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
        defer { EVP_MD_CTX_free(md) }
        // EVP_PKEY_get_size bounds every signature of the key (DER ECDSA/SM2 included).
        var length = Int(EVP_PKEY_get_size(key.ref))
        var signature = [UInt8](repeating: 0, count: max(length, 16))
        try ossl("EVP_DigestSign", code: .signingFailed) {
            signature.withUnsafeMutableBufferPointer {
                EVP_DigestSign(md, $0.baseAddress, &length, message.baseAddress, message.count)
            }
        }
        return Array(signature.prefix(length))
    }

    static func verify(
        key: EVPKey, signature: [UInt8], message: UnsafeRawBufferPointer, algorithm: SignatureAlgorithm,
        sm2ID: [UInt8]
    ) -> Bool {
        if algorithm != .sm2WithSM3 {
            guard algorithm.fits(key.algorithm) else { return false }
            return verifyDigest(key: key, signature: signature, digest: Digest.hash(algorithm.digest, message), algorithm: algorithm)
        }
        guard let md = try? copyOfTemplate(key: key, algorithm: algorithm, sm2ID: sm2ID, forSigning: false) else {
            return false
        }
        defer { EVP_MD_CTX_free(md) }
        let ok = signature.withUnsafeBufferPointer {
            EVP_DigestVerify(md, $0.baseAddress, $0.count, message.baseAddress, message.count)
        }
        ERR_clear_error()
        return ok == 1
    }

    /// ECDSA / RSA over a digest with a pooled, already initialised `EVP_PKEY_CTX`.
    private static func signDigest(key: EVPKey, digest: [UInt8], algorithm: SignatureAlgorithm) throws(CryptoError) -> [UInt8] {
        guard algorithm.fits(key.algorithm) else {
            throw CryptoError(.unsupportedAlgorithm, "\(algorithm) does not fit a \(key.algorithm) key")
        }
        let context = try borrowDigestContext(key: key, algorithm: algorithm, forSigning: true)
        ERR_clear_error()
        var ok: Int32 = 0
        // EVP_PKEY_get_size bounds every signature of the key; one allocation, trimmed to what was written.
        let signature = [UInt8](unsafeUninitializedCapacity: max(Int(EVP_PKEY_get_size(key.ref)), 16)) { out, count in
            var length = out.count
            ok = digest.withUnsafeBufferPointer { EVP_PKEY_sign(context, out.baseAddress, &length, $0.baseAddress, $0.count) }
            count = ok == 1 ? length : 0
        }
        guard ok == 1 else {
            EVP_PKEY_CTX_free(context)
            throw CryptoError(.signingFailed, "EVP_PKEY_sign failed", detail: drainOpenSSLErrors())
        }
        returnDigestContext(context, key: key, algorithm: algorithm, forSigning: true)
        return signature
    }

    private static func verifyDigest(key: EVPKey, signature: [UInt8], digest: [UInt8], algorithm: SignatureAlgorithm) -> Bool {
        guard let context = try? borrowDigestContext(key: key, algorithm: algorithm, forSigning: false) else { return false }
        let ok = signature.withUnsafeBufferPointer { sig in
            digest.withUnsafeBufferPointer { EVP_PKEY_verify(context, sig.baseAddress, sig.count, $0.baseAddress, $0.count) }
        }
        ERR_clear_error()
        // A failed verify leaves the context reusable; an internal error (negative) may not, so drop it then.
        if ok >= 0 {
            returnDigestContext(context, key: key, algorithm: algorithm, forSigning: false)
        } else {
            EVP_PKEY_CTX_free(context)
        }
        return ok == 1
    }

    private static func borrowDigestContext(key: EVPKey, algorithm: SignatureAlgorithm, forSigning: Bool) throws(CryptoError) -> OpaquePointer {
        let id = SignatureTemplateID(algorithm: algorithm, sm2ID: [], forSigning: forSigning)
        if let pooled = key.digestContexts.withLock({ pools in pools[id]?.popLast() }) { return pooled.ref }
        let md = try MessageDigestMethod.method(algorithm.digest)
        let context = try osslPointer("EVP_PKEY_CTX_new") { EVP_PKEY_CTX_new(key.ref, nil) }
        do {
            if forSigning {
                try ossl("EVP_PKEY_sign_init") { EVP_PKEY_sign_init(context) }
            } else {
                try ossl("EVP_PKEY_verify_init") { EVP_PKEY_verify_init(context) }
            }
            if algorithm == .rsaPSSSHA256 {
                try ossl("EVP_PKEY_CTX_set_rsa_padding") { EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING) }
                let salt = forSigning ? RSA_PSS_SALTLEN_DIGEST : RSA_PSS_SALTLEN_AUTO
                try ossl("EVP_PKEY_CTX_set_rsa_pss_saltlen") { EVP_PKEY_CTX_set_rsa_pss_saltlen(context, salt) }
            } else if key.algorithm.isRSA {
                try ossl("EVP_PKEY_CTX_set_rsa_padding") { EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) }
            }
            try ossl("EVP_PKEY_CTX_set_signature_md") { EVP_PKEY_CTX_set_signature_md(context, md) }
        } catch {
            EVP_PKEY_CTX_free(context)
            throw error
        }
        return context
    }

    private static func returnDigestContext(_ context: OpaquePointer, key: EVPKey, algorithm: SignatureAlgorithm, forSigning: Bool) {
        let id = SignatureTemplateID(algorithm: algorithm, sm2ID: [], forSigning: forSigning)
        let kept = key.digestContexts.withLock { pools -> Bool in
            guard pools[id, default: []].count < 32 else { return false }
            pools[id, default: []].append(DigestContextRef(ref: context))
            return true
        }
        if !kept { EVP_PKEY_CTX_free(context) }
    }

    /// A fresh copy of the key's initialised context for this scheme (made once, then cached on the key).
    private static func copyOfTemplate(
        key: EVPKey, algorithm: SignatureAlgorithm, sm2ID: [UInt8], forSigning: Bool
    ) throws(CryptoError) -> OpaquePointer {
        let id = SignatureTemplateID(algorithm: algorithm, sm2ID: algorithm == .sm2WithSM3 ? sm2ID : [], forSigning: forSigning)
        let copy = try osslPointer("EVP_MD_CTX_new") { EVP_MD_CTX_new() }
        let result: Result<Void, CryptoError> = key.templates.withLock { cache in
            do throws(CryptoError) {
                let template: OpaquePointer
                if let cached = cache[id] {
                    template = cached.ref
                } else {
                    let fresh = try prepare(key: key, algorithm: algorithm, sm2ID: sm2ID, forSigning: forSigning)
                    // The template must own its pkey context; SM2's was attached with set_pkey_ctx, so keep
                    // that owner alive alongside by making a copy that owns a duplicate.
                    if fresh.ownedPKeyContext != nil {
                        let owned = try osslPointer("EVP_MD_CTX_new") { EVP_MD_CTX_new() }
                        let copied = EVP_MD_CTX_copy_ex(owned, fresh.md)
                        fresh.free()
                        guard copied == 1 else {
                            EVP_MD_CTX_free(owned)
                            throw CryptoError(.openSSL, "EVP_MD_CTX_copy_ex failed", detail: drainOpenSSLErrors())
                        }
                        template = owned
                    } else {
                        template = fresh.md
                    }
                    if cache.count > 16 {
                        for context in cache.values { EVP_MD_CTX_free(context.ref) }
                        cache.removeAll()
                    }
                    cache[id] = DigestContextRef(ref: template)
                }
                try ossl("EVP_MD_CTX_copy_ex") { EVP_MD_CTX_copy_ex(copy, template) }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        do {
            try result.get()
        } catch {
            EVP_MD_CTX_free(copy)
            throw error
        }
        return copy
    }

    private struct Context {
        let md: OpaquePointer
        let ownedPKeyContext: OpaquePointer?
        func free() {
            EVP_MD_CTX_free(md)
            if let ownedPKeyContext { EVP_PKEY_CTX_free(ownedPKeyContext) }
        }
    }

    private static func prepare(
        key: EVPKey, algorithm: SignatureAlgorithm, sm2ID: [UInt8], forSigning: Bool
    ) throws(CryptoError) -> Context {
        guard algorithm.fits(key.algorithm) else {
            throw CryptoError(.unsupportedAlgorithm, "\(algorithm) does not fit a \(key.algorithm) key")
        }
        let digest = try MessageDigestMethod.method(algorithm.digest)
        let md = try osslPointer("EVP_MD_CTX_new") { EVP_MD_CTX_new() }
        if algorithm == .sm2WithSM3 {
            // OpenSSL 3.0 defaults to an EMPTY SM2 ID; set it on our own pkey context before init.
            guard let pctx = EVP_PKEY_CTX_new(key.ref, nil) else {
                EVP_MD_CTX_free(md)
                throw CryptoError(.openSSL, "EVP_PKEY_CTX_new failed", detail: drainOpenSSLErrors())
            }
            let context = Context(md: md, ownedPKeyContext: pctx)
            do {
                try ossl("EVP_PKEY_CTX_set1_id") {
                    sm2ID.withUnsafeBytes { EVP_PKEY_CTX_set1_id(pctx, $0.baseAddress, Int32($0.count)) }
                }
                EVP_MD_CTX_set_pkey_ctx(md, pctx)
                if forSigning {
                    try ossl("EVP_DigestSignInit") { EVP_DigestSignInit(md, nil, digest, nil, key.ref) }
                } else {
                    try ossl("EVP_DigestVerifyInit") { EVP_DigestVerifyInit(md, nil, digest, nil, key.ref) }
                }
            } catch {
                context.free()
                throw error
            }
            return context
        }
        let context = Context(md: md, ownedPKeyContext: nil)
        do {
            var pctx: OpaquePointer? = nil
            if forSigning {
                try ossl("EVP_DigestSignInit") { EVP_DigestSignInit(md, &pctx, digest, nil, key.ref) }
            } else {
                try ossl("EVP_DigestVerifyInit") { EVP_DigestVerifyInit(md, &pctx, digest, nil, key.ref) }
            }
            if algorithm == .rsaPSSSHA256 {
                try ossl("EVP_PKEY_CTX_set_rsa_padding") { EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) }
                let salt = forSigning ? RSA_PSS_SALTLEN_DIGEST : RSA_PSS_SALTLEN_AUTO
                try ossl("EVP_PKEY_CTX_set_rsa_pss_saltlen") { EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) }
            }
        } catch {
            context.free()
            throw error
        }
        return context
    }
}
