internal import CSealSSL

/// Streaming hashing for content too large to hold at once.
///
/// Not copyable: it owns one OpenSSL digest context, freed when the hasher ends.
public struct Hasher: ~Copyable {
    /// The algorithm this hasher computes.
    public let algorithm: DigestAlgorithm
    private let context: OpaquePointer

    /// A fresh hasher.
    ///
    /// - Precondition: the algorithm is available in the linked OpenSSL.
    public init(_ algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        do {
            let md = try MessageDigestMethod.method(algorithm)
            let context = try osslPointer("EVP_MD_CTX_new") { EVP_MD_CTX_new() }
            do {
                try ossl("EVP_DigestInit_ex") { EVP_DigestInit_ex(context, md, nil) }
            } catch {
                EVP_MD_CTX_free(context)
                throw error
            }
            self.context = context
        } catch {
            preconditionFailure("\(algorithm) digest unavailable: \(String(reflecting: error))")
        }
    }

    /// Feeds raw memory.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard buffer.count > 0 else { return }
        let ok = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
        precondition(ok == 1, "EVP_DigestUpdate failed")
    }

    /// Feeds bytes.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds a slice of bytes.
    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Ends hashing and returns the digest.
    public consuming func finalize() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = output.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        precondition(ok == 1, "EVP_DigestFinal_ex failed")
        return Array(output.prefix(Int(length)))
    }

    deinit { EVP_MD_CTX_free(context) }
}
