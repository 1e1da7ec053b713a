internal import CSealSSL
import Synchronization

/// The contents of a PKCS#12 (`.p12` / `.pfx`) file.
public struct PKCS12Bundle: Sendable {
    public let privateKey: PrivateKey
    public let certificate: Certificate
    /// Other certificates in the file (CA chain).
    public let chain: [Certificate]

    /// Loads a PKCS#12 file. Files protected with legacy ciphers (RC2-40, 3DES, as made by older tools and
    /// ofdrw's test files) are opened by loading OpenSSL's `legacy` provider on first need.
    public init(der: [UInt8], password: String) throws(CryptoError) {
        do {
            self = try Self.parse(der, password: password)
        } catch {
            guard LegacyProvider.loadIfAvailable() else { throw error }
            self = try Self.parse(der, password: password)
        }
    }

    /// Writes a PKCS#12 file (AES-256-CBC + PBKDF2 + SHA-256 MAC, OpenSSL 3 defaults).
    public static func export(
        key: PrivateKey, certificate: Certificate, chain: [Certificate] = [], password: String,
        friendlyName: String? = nil
    ) throws(CryptoError) -> [UInt8] {
        let x509 = try X509Object(der: certificate.der)
        let stack = try osslPointer("sk_X509_new_null") { CSealSSL_sk_X509_new_null() }
        defer { CSealSSL_sk_X509_pop_free(stack) }
        for extra in chain {
            let object = try X509Object(der: extra.der)
            X509_up_ref(object.ref)
            _ = CSealSSL_sk_X509_push(stack, object.ref)
        }
        ERR_clear_error()
        let created = password.withCString { pass in
            PKCS12_create(pass, friendlyName, key.key.ref, x509.ref, stack, 0, 0, 0, 0, 0)
        }
        guard let p12 = created else {
            throw CryptoError(.openSSL, "PKCS12_create failed", detail: drainOpenSSLErrors())
        }
        defer { PKCS12_free(p12) }
        return try i2dBytes("i2d_PKCS12") { i2d_PKCS12(p12, $0) }
    }

    private static func parse(_ der: [UInt8], password: String) throws(CryptoError) -> PKCS12Bundle {
        let p12: OpaquePointer = try der.withUnsafeBufferPointer { buffer throws(CryptoError) in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return try osslPointer("d2i_PKCS12", code: .malformedDER) { d2i_PKCS12(nil, &cursor, buffer.count) }
        }
        defer { PKCS12_free(p12) }
        var pkey: OpaquePointer? = nil
        var cert: OpaquePointer? = nil
        var others: OpaquePointer? = nil
        ERR_clear_error()
        let parsed = password.withCString { pass in PKCS12_parse(p12, pass, &pkey, &cert, &others) }
        guard parsed == 1 else {
            throw CryptoError(.wrongPassword, "cannot open the PKCS#12 file", detail: drainOpenSSLErrors())
        }
        defer {
            if let cert { X509_free(cert) }
            if let others { CSealSSL_sk_X509_pop_free(others) }
        }
        guard let pkey, let cert else {
            if let pkey { EVP_PKEY_free(pkey) }
            throw CryptoError(.invalidKey, "the PKCS#12 file holds no key and certificate pair")
        }
        let key = try PrivateKey(evpKey: EVPKey(takingOwnership: pkey))
        let certificate = try Certificate(der: i2dBytes("i2d_X509") { i2d_X509(cert, $0) })
        var chain: [Certificate] = []
        if let others {
            for index in 0..<CSealSSL_sk_X509_num(others) {
                guard let item = CSealSSL_sk_X509_value(others, index) else { continue }
                chain.append(try Certificate(der: i2dBytes("i2d_X509") { i2d_X509(item, $0) }))
            }
        }
        return PKCS12Bundle(privateKey: key, certificate: certificate, chain: chain)
    }

    private init(privateKey: PrivateKey, certificate: Certificate, chain: [Certificate]) {
        self.privateKey = privateKey
        self.certificate = certificate
        self.chain = chain
    }

    /// A ``SoftwareSigner`` for the bundle's key and certificate.
    public func signer(algorithm: SignatureAlgorithm? = nil) throws(CryptoError) -> SoftwareSigner {
        try SoftwareSigner(key: privateKey, certificate: certificate, chain: chain, algorithm: algorithm)
    }
}
