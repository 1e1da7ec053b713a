internal import CSealSSL

/// Owns one `EVP_MD_CTX` (a digest, or a DigestSign/DigestVerify operation) and frees it when it ends.
///
/// Not copyable, so each context has exactly one owner and no extra allocation; ``SignatureTemplate`` keeps
/// one in a class where a context must be shared through a cache. `@unchecked Sendable`: its one owner may hand
/// it to another thread; it is never used from two at once.
struct MessageDigestContext: ~Copyable, @unchecked Sendable {
    let ref: OpaquePointer

    /// A fresh, empty context.
    init() throws(CryptoError) {
        ref = try osslPointer("EVP_MD_CTX_new") { EVP_MD_CTX_new() }
    }

    /// A copy of `template`'s state (initialised sign or verify operation included).
    init(copying template: borrowing MessageDigestContext) throws(CryptoError) {
        let fresh = try MessageDigestContext()
        try ossl("EVP_MD_CTX_copy_ex") { EVP_MD_CTX_copy_ex(fresh.ref, template.ref) }
        self = fresh
    }

    deinit { EVP_MD_CTX_free(ref) }
}
