internal import CSealSSL
import Foundation

/// A private key held in process memory (SM2, ECDSA or RSA).
///
/// Application code signs through a ``Signer`` (``SoftwareSigner`` wraps this type); keys can later live in an
/// HSM behind the same protocol. `description` never shows key material.
public final class PrivateKey: Sendable, CustomStringConvertible {
    let key: EVPKey

    init(evpKey: EVPKey) throws(CryptoError) {
        self.key = try EVPKey.normalized(evpKey, isPrivate: true)
    }

    /// Generates a fresh key.
    public static func generate(_ algorithm: KeyGenerationAlgorithm) throws(CryptoError) -> PrivateKey {
        let name: String
        switch algorithm {
        case .sm2: name = "SM2"
        case .ecdsaP256, .ecdsaP384: name = "EC"
        case .rsa: name = "RSA"
        }
        let context = try osslPointer("EVP_PKEY_CTX_new_from_name") { EVP_PKEY_CTX_new_from_name(nil, name, nil) }
        defer { EVP_PKEY_CTX_free(context) }
        try ossl("EVP_PKEY_keygen_init") { EVP_PKEY_keygen_init(context) }
        switch algorithm {
        case .ecdsaP256: try ossl("EVP_PKEY_CTX_set_group_name") { EVP_PKEY_CTX_set_group_name(context, "P-256") }
        case .ecdsaP384: try ossl("EVP_PKEY_CTX_set_group_name") { EVP_PKEY_CTX_set_group_name(context, "P-384") }
        case .rsa(let bits):
            guard bits >= 2048, bits <= 16384 else {
                throw CryptoError(.invalidArgument, "RSA keys must have 2048 to 16384 bits")
            }
            try ossl("EVP_PKEY_CTX_set_rsa_keygen_bits") { EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) }
        case .sm2: break
        }
        var generated: OpaquePointer? = nil
        try ossl("EVP_PKEY_keygen") { EVP_PKEY_keygen(context, &generated) }
        guard let generated else { throw CryptoError(.openSSL, "EVP_PKEY_keygen returned no key") }
        return try PrivateKey(evpKey: EVPKey(takingOwnership: generated))
    }

    /// Loads a PEM private key: `PRIVATE KEY` (PKCS#8), `ENCRYPTED PRIVATE KEY` (needs `password`),
    /// `EC PRIVATE KEY` or `RSA PRIVATE KEY`.
    public convenience init(pem: String, password: String? = nil) throws(CryptoError) {
        let bio = try MemoryBIO(copying: Array(pem.utf8))
        let isEncrypted = pem.contains("ENCRYPTED") || pem.contains("Proc-Type: 4,ENCRYPTED")
        if isEncrypted, password == nil {
            throw CryptoError(.wrongPassword, "the private key is encrypted and no password was given")
        }
        // An empty password string (not nil) keeps OpenSSL from prompting on the terminal.
        let passphrase = password ?? ""
        let loaded: OpaquePointer? = passphrase.withCString { pass in
            ERR_clear_error()
            return PEM_read_bio_PrivateKey(bio.ref, nil, nil, UnsafeMutableRawPointer(mutating: pass))
        }
        guard let loaded else {
            let detail = drainOpenSSLErrors()
            if isEncrypted { throw CryptoError(.wrongPassword, "cannot decrypt the private key", detail: detail) }
            throw CryptoError(.invalidPEM, "not a PEM private key", detail: detail)
        }
        try self.init(evpKey: EVPKey(takingOwnership: loaded))
    }

    /// Loads a DER private key (unencrypted PKCS#8 or a traditional EC/RSA key).
    public convenience init(der: [UInt8]) throws(CryptoError) {
        let loaded: OpaquePointer = try der.withUnsafeBufferPointer { buffer throws(CryptoError) in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return try osslPointer("d2i_AutoPrivateKey", code: .invalidKey) {
                d2i_AutoPrivateKey(nil, &cursor, buffer.count)
            }
        }
        try self.init(evpKey: EVPKey(takingOwnership: loaded))
    }

    /// The key type.
    public var algorithm: KeyAlgorithm { key.algorithm }

    /// The matching public key.
    public var publicKey: PublicKey {
        // i2d_PUBKEY on a valid private key cannot fail short of memory exhaustion.
        try! PublicKey(evpKey: key)
    }

    /// Unencrypted PKCS#8 PEM (`PRIVATE KEY`). Handle with care.
    public var pemRepresentation: String {
        (try? pem(password: nil)) ?? ""
    }

    /// Unencrypted PKCS#8 DER.
    public var pkcs8DER: [UInt8] {
        (try? pkcs8(password: nil)) ?? []
    }

    /// PKCS#8 PEM, encrypted with AES-256-CBC (PBKDF2) when a password is given.
    public func pem(password: String?) throws(CryptoError) -> String {
        let bio = try MemoryBIO()
        if let password {
            let cipher = try osslPointer("EVP_CIPHER_fetch") { EVP_CIPHER_fetch(nil, "AES-256-CBC", nil) }
            defer { EVP_CIPHER_free(cipher) }
            try ossl("PEM_write_bio_PKCS8PrivateKey") {
                password.withCString { pass in
                    PEM_write_bio_PKCS8PrivateKey(bio.ref, key.ref, cipher, pass, Int32(strlen(pass)), nil, nil)
                }
            }
        } else {
            try ossl("PEM_write_bio_PKCS8PrivateKey") {
                PEM_write_bio_PKCS8PrivateKey(bio.ref, key.ref, nil, nil, 0, nil, nil)
            }
        }
        return String(decoding: bio.bytes, as: UTF8.self)
    }

    /// PKCS#8 DER (unencrypted `PrivateKeyInfo`, or `EncryptedPrivateKeyInfo` when a password is given).
    public func pkcs8(password: String?) throws(CryptoError) -> [UInt8] {
        try PEM.decode(try pem(password: password), expecting: ["PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]).der
    }

    /// Signs `message` (hashing is part of the scheme; SM2 includes the Z value for `sm2ID`).
    public func sign(
        _ message: [UInt8], algorithm: SignatureAlgorithm, sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) throws(CryptoError) -> [UInt8] {
        try withBytes(message) { buffer throws(CryptoError) in
            try SignatureOperation.sign(key: key, message: buffer, algorithm: algorithm, sm2ID: sm2ID)
        }
    }

    /// Signs a digest computed elsewhere (see ``SigningDigest``; for SM2 `digest` is `e = SM3(Z ‖ M)`).
    ///
    /// - Throws: ``CryptoError/Code/invalidArgument`` if `digest` is not the scheme's hash length,
    ///   ``CryptoError/Code/unsupportedAlgorithm`` if the scheme does not fit the key or is verify-only.
    public func signDigest(_ digest: [UInt8], algorithm: SignatureAlgorithm) throws(CryptoError) -> [UInt8] {
        try SignatureOperation.sign(key: key, precomputedDigest: digest, algorithm: algorithm)
    }

    public var description: String { "PrivateKey(\(algorithm))" }
}
