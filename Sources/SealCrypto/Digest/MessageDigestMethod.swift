internal import CSealSSL

/// Fetched `EVP_MD` objects, one per algorithm, fetched once per process.
///
/// Fetched methods are immutable and reference-counted by OpenSSL; sharing them across threads is safe.
enum MessageDigestMethod {
    private struct Table: @unchecked Sendable {  // immutable table of fetched, thread-safe EVP_MD pointers
        let methods: [DigestAlgorithm: OpaquePointer]
        let md5: OpaquePointer?
    }

    private static let table: Table = {
        var methods: [DigestAlgorithm: OpaquePointer] = [:]
        for algorithm in DigestAlgorithm.allCases {
            if let md = EVP_MD_fetch(nil, algorithm.openSSLName, nil) { methods[algorithm] = md }
        }
        // MD5 is not a ``DigestAlgorithm`` (never for signatures); PDF's legacy security handler needs it.
        let md5 = EVP_MD_fetch(nil, "MD5", nil)
        ERR_clear_error()
        return Table(methods: methods, md5: md5)
    }()

    /// MD5's `EVP_MD`, or nil when this OpenSSL has none (FIPS-only configurations).
    static var md5: OpaquePointer? { table.md5 }

    /// The `EVP_MD` for an algorithm; throws when this OpenSSL build lacks it (e.g. no SM3).
    static func method(_ algorithm: DigestAlgorithm) throws(CryptoError) -> OpaquePointer {
        guard let md = table.methods[algorithm] else {
            throw CryptoError(.unsupportedAlgorithm, "\(algorithm) is not available in this OpenSSL")
        }
        return md
    }
}
