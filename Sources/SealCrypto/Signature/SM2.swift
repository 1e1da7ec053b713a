internal import CSealSSL

/// SM2 constants and the signer's Z value.
public enum SM2 {
    /// The distinguishing ID of GM/T 0009 / GB/T 35276 that every Chinese verifier assumes: `1234567812345678`.
    public static let defaultDistinguishingID: [UInt8] = Array("1234567812345678".utf8)

    /// The curve parameters a, b, xG, yG of the SM2 curve (GB/T 32918.5), 32 bytes each, as hashed into Z.
    static let curveParametersForZ: [UInt8] = hexBytes(
        "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC"  // a
            + "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93"  // b
            + "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"  // xG
            + "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0")  // yG

    /// `Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)` (GB/T 32918.2 §5.5): ENTL is the ID's length in BITS as two
    /// big-endian bytes; the field elements are 32 bytes each, big-endian; (xA, yA) is the signer's public point.
    ///
    /// - Throws: ``CryptoError/Code/unsupportedAlgorithm`` if `publicKey` is not an SM2 key,
    ///   ``CryptoError/Code/invalidArgument`` if the ID is longer than 8191 bytes.
    public static func zValue(
        publicKey: PublicKey, distinguishingID: [UInt8] = defaultDistinguishingID
    ) throws(CryptoError) -> [UInt8] {
        guard publicKey.isSM2 else {
            throw CryptoError(.unsupportedAlgorithm, "Z is defined for SM2 keys only, not \(publicKey.algorithm)")
        }
        guard distinguishingID.count < 8192 else {
            throw CryptoError(.invalidArgument, "the SM2 distinguishing ID is longer than 8191 bytes")
        }
        let point = try uncompressedPoint(publicKey)
        let bits = distinguishingID.count * 8
        var input: [UInt8] = [UInt8(bits >> 8), UInt8(bits & 0xFF)]
        input += distinguishingID
        input += curveParametersForZ
        input += point.dropFirst()  // xA ‖ yA without the 0x04 prefix
        return Digest.hash(.sm3, input)
    }

    private static func hexBytes(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    /// The public point `04 ‖ x ‖ y` (65 bytes) as OpenSSL encodes it uncompressed.
    private static func uncompressedPoint(_ publicKey: PublicKey) throws(CryptoError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 133)
        var length = 0
        try ossl("EVP_PKEY_get_octet_string_param", code: .invalidKey) {
            buffer.withUnsafeMutableBufferPointer {
                EVP_PKEY_get_octet_string_param(publicKey.key.ref, "encoded-pub-key", $0.baseAddress, $0.count, &length)
            }
        }
        guard length == 65, buffer[0] == 0x04 else {
            throw CryptoError(.invalidKey, "the SM2 public key is not an uncompressed 256-bit point")
        }
        return Array(buffer.prefix(65))
    }
}
