internal import CSealSSL

/// One sign or verify operation over an `EVP_PKEY` (a fresh context per call; keys stay immutable).
enum SignatureOperation {
    static func sign(
        key: EVPKey, message: UnsafeRawBufferPointer, algorithm: SignatureAlgorithm, sm2ID: [UInt8]
    ) throws(CryptoError) -> [UInt8] {
        guard algorithm.isAllowedForSigning else {
            throw CryptoError(.unsupportedAlgorithm, "\(algorithm) is accepted for verification only")
        }
        let context = try prepare(key: key, algorithm: algorithm, sm2ID: sm2ID, forSigning: true)
        defer { context.free() }
        var length = 0
        try ossl("EVP_DigestSign", code: .signingFailed) {
            EVP_DigestSign(context.md, nil, &length, message.baseAddress, message.count)
        }
        var signature = [UInt8](repeating: 0, count: length)
        try ossl("EVP_DigestSign", code: .signingFailed) {
            signature.withUnsafeMutableBufferPointer {
                EVP_DigestSign(context.md, $0.baseAddress, &length, message.baseAddress, message.count)
            }
        }
        return Array(signature.prefix(length))
    }

    static func verify(
        key: EVPKey, signature: [UInt8], message: UnsafeRawBufferPointer, algorithm: SignatureAlgorithm,
        sm2ID: [UInt8]
    ) -> Bool {
        guard let context = try? prepare(key: key, algorithm: algorithm, sm2ID: sm2ID, forSigning: false) else {
            return false
        }
        defer { context.free() }
        let ok = signature.withUnsafeBufferPointer {
            EVP_DigestVerify(context.md, $0.baseAddress, $0.count, message.baseAddress, message.count)
        }
        ERR_clear_error()
        return ok == 1
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
