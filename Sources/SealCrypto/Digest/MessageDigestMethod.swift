internal import CSealSSL

/// Fetched `EVP_MD` objects, one per algorithm, fetched once per process.
///
/// Fetched methods are immutable and reference-counted by OpenSSL; sharing them across threads is safe.
enum MessageDigestMethod {
    private struct Table: @unchecked Sendable {  // immutable table of fetched, thread-safe EVP_MD pointers
        let methods: [DigestAlgorithm: OpaquePointer]
    }

    private static let table: Table = {
        var methods: [DigestAlgorithm: OpaquePointer] = [:]
        for algorithm in DigestAlgorithm.allCases {
            if let md = EVP_MD_fetch(nil, algorithm.openSSLName, nil) { methods[algorithm] = md }
        }
        ERR_clear_error()
        return Table(methods: methods)
    }()

    /// The `EVP_MD` for an algorithm; throws when this OpenSSL build lacks it (e.g. no SM3).
    static func method(_ algorithm: DigestAlgorithm) throws(CryptoError) -> OpaquePointer {
        guard let md = table.methods[algorithm] else {
            throw CryptoError(.unsupportedAlgorithm, "\(algorithm) is not available in this OpenSSL")
        }
        return md
    }
}
