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
            // One allocation, sized to the digest as OpenSSL reports it (no zero fill, no second copy).
            ERR_clear_error()
            var status: Int32 = 0
            let output = [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { bytes, count in
                var length: UInt32 = 0
                status = EVP_Digest(buffer.baseAddress, buffer.count, bytes.baseAddress, &length, md, nil)
                count = status == 1 ? Int(length) : 0
            }
            guard status == 1 else {
                throw CryptoError(.openSSL, "EVP_Digest failed", detail: drainOpenSSLErrors())
            }
            return output
        } catch {
            preconditionFailure("\(algorithm) digest unavailable: \(String(reflecting: error))")
        }
    }
}
