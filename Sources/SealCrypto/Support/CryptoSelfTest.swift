/// A start-up self-test: SM3 known answer and an SM2 sign/verify round trip with the standard ID.
///
/// Some OpenSSL builds (Fedora/RHEL/Alpine) ship without SM2; a worker must refuse to run there rather than
/// produce seals no Chinese verifier accepts.
public enum CryptoSelfTest {
    /// Throws ``CryptoError/Code/unsupportedAlgorithm`` when SM2 or SM3 is missing or wrong.
    public static func run() throws(CryptoError) {
        _ = try MessageDigestMethod.method(.sm3)
        let expected: [UInt8] = [
            0x66, 0xc7, 0xf0, 0xf4, 0x62, 0xee, 0xed, 0xd9, 0xd1, 0xf2, 0xd4, 0x6b, 0xdc, 0x10, 0xe4, 0xe2,
            0x41, 0x67, 0xc4, 0x87, 0x5c, 0xf2, 0xf7, 0xa2, 0x29, 0x7d, 0xa0, 0x2b, 0x8f, 0x4b, 0xa8, 0xe0,
        ]
        guard Digest.hash(.sm3, Array("abc".utf8)) == expected else {
            throw CryptoError(.unsupportedAlgorithm, "SM3 known-answer test failed")
        }
        let key: PrivateKey
        do {
            key = try PrivateKey.generate(.sm2)
        } catch {
            throw CryptoError(.unsupportedAlgorithm, "this OpenSSL cannot generate SM2 keys", detail: error.detail)
        }
        let message = Array("SealPress self-test".utf8)
        let signature = try key.sign(message, algorithm: .sm2WithSM3)
        guard key.publicKey.verify(signature: signature, for: message, algorithm: .sm2WithSM3),
            !key.publicKey.verify(signature: signature, for: message, algorithm: .sm2WithSM3, sm2ID: [])
        else {
            throw CryptoError(.unsupportedAlgorithm, "SM2 sign/verify with the standard ID failed")
        }
    }
}
