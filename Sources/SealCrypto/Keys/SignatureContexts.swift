internal import CSealSSL

/// Owns one `EVP_PKEY_CTX` and frees it when the last reference goes.
///
/// The pooled kind is initialised for sign or verify of a pre-hashed digest (ECDSA, RSA) and reused across
/// operations on its key (``EVPKey/digestContexts``); a context holds its own reference to the key.
/// `@unchecked Sendable`: one user at a time — idle in the key's pool under its mutex, or borrowed by one operation.
final class PKeyContext: @unchecked Sendable {
    let ref: OpaquePointer

    /// A fresh context for `key`.
    init(for key: EVPKey) throws(CryptoError) {
        ref = try osslPointer("EVP_PKEY_CTX_new") { EVP_PKEY_CTX_new(key.ref, nil) }
    }

    deinit { EVP_PKEY_CTX_free(ref) }
}

/// An `EVP_MD_CTX` initialised for DigestSign or DigestVerify with one key, scheme and SM2 ID, cached on the key
/// (``EVPKey/templates``) and copied for each operation: copying skips the provider fetches of a fresh init.
///
/// `@unchecked Sendable`: never changed after init; copies are made under the key's `templates` mutex.
final class SignatureTemplate: @unchecked Sendable {
    let context: MessageDigestContext

    init(_ context: consuming MessageDigestContext) { self.context = context }
}
