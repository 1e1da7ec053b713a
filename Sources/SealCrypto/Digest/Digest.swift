internal import CSealSSL

/// One-shot hashing.
public enum Digest {
    /// The hash of `bytes`.
    ///
    /// - Precondition: the algorithm is available in the linked OpenSSL (SM3 is checked at start-up by
    ///   ``CryptoSelfTest``); a missing algorithm traps.
    public static func hash(_ algorithm: DigestAlgorithm, _ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash(algorithm, $0) }
    }

    /// The hash of `bytes`.
    public static func hash(_ algorithm: DigestAlgorithm, _ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.withUnsafeBytes { hash(algorithm, $0) }
    }

    /// The hash of any byte sequence (copied into a contiguous buffer first when needed).
    public static func hash(_ algorithm: DigestAlgorithm, _ bytes: some Sequence<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(algorithm, UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return hash(algorithm, Array(bytes))
    }

    /// The hash of raw memory.
    public static func hash(_ algorithm: DigestAlgorithm, _ buffer: UnsafeRawBufferPointer) -> [UInt8] {
        do {
            let md = try MessageDigestMethod.method(algorithm)
            var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            try ossl("EVP_Digest") {
                output.withUnsafeMutableBufferPointer {
                    EVP_Digest(buffer.baseAddress, buffer.count, $0.baseAddress, &length, md, nil)
                }
            }
            return Array(output.prefix(Int(length)))
        } catch {
            preconditionFailure("\(algorithm) digest unavailable: \(String(reflecting: error))")
        }
    }
}
