/// An `EVP_MD_CTX` or `EVP_PKEY_CTX` pointer held in a key's caches.
///
/// `@unchecked Sendable`: only touched while the cache's mutex is held; freed by the owning key.
struct DigestContextRef: @unchecked Sendable {
    let ref: OpaquePointer
}
