internal import CSealSSL
import Synchronization

/// Owns one `EVP_PKEY`.
///
/// `@unchecked Sendable`: the key is immutable after init and every operation makes its own context.
final class EVPKey: @unchecked Sendable {
    let ref: OpaquePointer

    /// Initialised sign/verify contexts, one per (scheme, SM2 ID, direction), copied for each operation:
    /// copying skips the provider fetches of a fresh init (a third of an ECDSA signature's cost).
    let templates = Mutex<[SignatureTemplateID: SignatureTemplate]>([:])

    /// Idle `EVP_PKEY_CTX`s initialised for sign or verify of a pre-hashed digest (ECDSA, RSA), reused
    /// across operations like `openssl speed` does; SM2 never uses these (its hash includes Z).
    let digestContexts = Mutex<[SignatureTemplateID: [PKeyContext]]>([:])

    /// What kind of key this is, read once: `EVP_PKEY_is_a` and the group-name query are name-map lookups and
    /// parameter requests, too slow to repeat in every signature or verification.
    let algorithm: KeyAlgorithm

    init(takingOwnership ref: OpaquePointer) {
        self.ref = ref
        self.algorithm = Self.algorithm(of: ref)
    }

    deinit {
        // The cached contexts free themselves; drop them before the key they were made from.
        templates.withLock { $0.removeAll() }
        digestContexts.withLock { $0.removeAll() }
        EVP_PKEY_free(ref)
    }

    private static func algorithm(of ref: OpaquePointer) -> KeyAlgorithm {
        if EVP_PKEY_is_a(ref, "SM2") == 1 { return .sm2 }
        if EVP_PKEY_is_a(ref, "RSA") == 1 || EVP_PKEY_is_a(ref, "RSA-PSS") == 1 {
            return .rsa(bits: Int(EVP_PKEY_get_bits(ref)))
        }
        if EVP_PKEY_is_a(ref, "EC") == 1 {
            switch groupName(of: ref) {
            case "SM2": return .sm2
            case "prime256v1", "P-256", "secp256r1": return .ecdsaP256
            case "secp384r1", "P-384": return .ecdsaP384
            case "secp521r1", "P-521": return .ecdsaP521
            default: return .other("EC " + groupName(of: ref))
            }
        }
        let name = EVP_PKEY_get0_type_name(ref).map { String(cString: $0) } ?? "unknown"
        return .other(name)
    }

    private var groupName: String { Self.groupName(of: ref) }

    private static func groupName(of ref: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        guard EVP_PKEY_get_group_name(ref, &buffer, buffer.count, &length) == 1 else { return "" }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Makes sure a key on the SM2 curve is an SM2 key to OpenSSL, so signing uses SM2, never ECDSA.
    ///
    /// Keys decoded as generic EC keys with the SM2 curve are re-imported under the SM2 key manager.
    static func normalized(_ key: EVPKey, isPrivate: Bool) throws(CryptoError) -> EVPKey {
        guard EVP_PKEY_is_a(key.ref, "SM2") != 1, key.groupName == "SM2" else { return key }
        var params: UnsafeMutablePointer<OSSL_PARAM>? = nil
        let selection = isPrivate ? CSealSSL_EVP_PKEY_KEYPAIR() : CSealSSL_EVP_PKEY_PUBLIC_KEY()
        try ossl("EVP_PKEY_todata") { EVP_PKEY_todata(key.ref, Int32(selection), &params) }
        defer { OSSL_PARAM_free(params) }
        let context = try osslPointer("EVP_PKEY_CTX_new_from_name") { EVP_PKEY_CTX_new_from_name(nil, "SM2", nil) }
        defer { EVP_PKEY_CTX_free(context) }
        try ossl("EVP_PKEY_fromdata_init") { EVP_PKEY_fromdata_init(context) }
        var result: OpaquePointer? = nil
        try ossl("EVP_PKEY_fromdata") { EVP_PKEY_fromdata(context, &result, Int32(selection), params) }
        guard let result else { throw CryptoError(.invalidKey, "SM2 key conversion failed") }
        return EVPKey(takingOwnership: result)
    }
}
