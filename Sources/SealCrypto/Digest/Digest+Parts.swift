internal import CSealSSL

extension Digest {
    /// The hash of the concatenation of `parts`, every OpenSSL return code checked.
    ///
    /// - Throws: ``CryptoError`` `.unsupportedAlgorithm` when this OpenSSL lacks the algorithm, `.openSSL` when a
    ///   call fails.
    package static func hash(_ algorithm: DigestAlgorithm, parts: [[UInt8]]) throws(CryptoError) -> [UInt8] {
        try hash(method: MessageDigestMethod.method(algorithm), parts: parts)
    }

    /// MD5 (RFC 1321) of the concatenation of `parts`: only for PDF's legacy (R2–R4) security handler, whose key
    /// derivation is defined with MD5. Never used for signatures or integrity.
    ///
    /// - Throws: ``CryptoError`` `.unsupportedAlgorithm` when this OpenSSL offers no MD5 (a FIPS-only build).
    package static func md5(_ parts: [UInt8]...) throws(CryptoError) -> [UInt8] {
        guard let md5 = MessageDigestMethod.md5 else {
            throw CryptoError(.unsupportedAlgorithm, "MD5 is not available in this OpenSSL (needed for RC4-era PDFs)")
        }
        return try hash(method: md5, parts: parts)
    }

    private static func hash(method: OpaquePointer, parts: [[UInt8]]) throws(CryptoError) -> [UInt8] {
        let context = try MessageDigestContext()
        try ossl("EVP_DigestInit_ex") { EVP_DigestInit_ex(context.ref, method, nil) }
        for part in parts where !part.isEmpty {
            try ossl("EVP_DigestUpdate") { part.withUnsafeBufferPointer { EVP_DigestUpdate(context.ref, $0.baseAddress, $0.count) } }
        }
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        try ossl("EVP_DigestFinal_ex") {
            output.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context.ref, $0.baseAddress, &length) }
        }
        output.removeSubrange(Int(length)...)
        return output
    }
}
