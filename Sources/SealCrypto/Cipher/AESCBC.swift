internal import CSealSSL

/// AES in CBC mode (FIPS 197, NIST SP 800-38A) with a 128-, 192- or 256-bit key, for PDF's standard security
/// handler. Every OpenSSL return code goes through ``ossl(_:code:file:line:_:)``.
package enum AESCBC {
    /// Block padding.
    package enum Padding: Sendable {
        /// PKCS #7 (RFC 5652 §6.3): what PDF strings and streams use.
        case pkcs7
        /// None: the data must be whole 16-byte blocks (PDF 2.0 key wrapping and hashing).
        case none
    }

    /// Encrypts `data`.
    ///
    /// - Throws: ``CryptoError`` `.invalidArgument` for a bad key or IV length, or unpadded data that is not whole
    ///   blocks; `.openSSL` when OpenSSL fails.
    package static func encrypt(_ data: [UInt8], key: [UInt8], iv: [UInt8], padding: Padding) throws(CryptoError) -> [UInt8] {
        try run(encrypting: true, data, key: key, iv: iv, padding: padding)
    }

    /// Decrypts `data`.
    ///
    /// - Throws: ``CryptoError`` `.invalidArgument` for a bad key or IV length, or data that is not whole blocks;
    ///   `.openSSL` when the padding is wrong (the key is wrong or the data damaged) or OpenSSL fails.
    package static func decrypt(_ data: [UInt8], key: [UInt8], iv: [UInt8], padding: Padding) throws(CryptoError) -> [UInt8] {
        try run(encrypting: false, data, key: key, iv: iv, padding: padding)
    }

    private static func run(
        encrypting: Bool, _ data: [UInt8], key: [UInt8], iv: [UInt8], padding: Padding
    ) throws(CryptoError) -> [UInt8] {
        let cipher: OpaquePointer? = switch key.count {
        case 16: EVP_aes_128_cbc()
        case 24: EVP_aes_192_cbc()
        case 32: EVP_aes_256_cbc()
        default: nil
        }
        guard let cipher else { throw CryptoError(.invalidArgument, "an AES key is 16, 24 or 32 bytes, not \(key.count)") }
        guard iv.count == 16 else { throw CryptoError(.invalidArgument, "an AES-CBC IV is 16 bytes, not \(iv.count)") }
        guard padding == .pkcs7 && encrypting || data.count % 16 == 0 else {
            throw CryptoError(.invalidArgument, "AES-CBC data of \(data.count) bytes is not whole 16-byte blocks")
        }
        let context = try CipherContext()
        try ossl("EVP_CipherInit_ex") { EVP_CipherInit_ex(context.ref, cipher, nil, key, iv, encrypting ? 1 : 0) }
        try ossl("EVP_CIPHER_CTX_set_padding") { EVP_CIPHER_CTX_set_padding(context.ref, padding == .pkcs7 ? 1 : 0) }
        var output = [UInt8](repeating: 0, count: data.count + 16)
        var total = 0
        try output.withUnsafeMutableBufferPointer { (out) throws(CryptoError) in
            var written: Int32 = 0
            try ossl("EVP_CipherUpdate") {
                data.withUnsafeBufferPointer {
                    EVP_CipherUpdate(context.ref, out.baseAddress, &written, $0.baseAddress, Int32($0.count))
                }
            }
            total = Int(written)
            try ossl("EVP_CipherFinal_ex") { EVP_CipherFinal_ex(context.ref, out.baseAddress! + total, &written) }
            total += Int(written)
        }
        output.removeSubrange(total...)
        return output
    }
}

/// Owns one `EVP_CIPHER_CTX` for the length of one operation.
private struct CipherContext: ~Copyable {
    let ref: OpaquePointer

    init() throws(CryptoError) { ref = try osslPointer("EVP_CIPHER_CTX_new") { EVP_CIPHER_CTX_new() } }

    deinit { EVP_CIPHER_CTX_free(ref) }
}
