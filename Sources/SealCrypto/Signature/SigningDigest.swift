/// The client half of signing with a key held elsewhere: the digest a ``DigestSigner`` (a signing service, a
/// token) signs for a message, computed where the message is.
public enum SigningDigest {
    /// The digest to sign for `message` with `algorithm`.
    ///
    /// RSA and ECDSA: the scheme's hash of the message. SM2: `e = SM3(Z ‖ M)` with
    /// `Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)` for the signer's public key and distinguishing ID
    /// (``SM2/zValue(publicKey:distinguishingID:)``), so the service never needs the message.
    ///
    /// - Parameters:
    ///   - publicKey: the signer's public key; required for SM2, ignored otherwise.
    ///   - sm2ID: the SM2 distinguishing ID (default `1234567812345678`).
    /// - Throws: ``CryptoError/Code/unsupportedAlgorithm`` for a verify-only scheme or an SM2 scheme without an SM2
    ///   public key.
    public static func digest(
        for message: [UInt8], algorithm: SignatureAlgorithm, publicKey: PublicKey?,
        sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) throws(CryptoError) -> [UInt8] {
        guard algorithm.isAllowedForSigning else {
            throw CryptoError(.unsupportedAlgorithm, "\(algorithm) is accepted for verification only")
        }
        guard algorithm == .sm2WithSM3 else { return Digest.hash(algorithm.digest, message) }
        guard let publicKey else {
            throw CryptoError(.unsupportedAlgorithm, "an SM2 digest needs the signer's public key (for Z)")
        }
        let z = try SM2.zValue(publicKey: publicKey, distinguishingID: sm2ID)
        var hasher = Hasher(.sm3)
        hasher.update(z)
        hasher.update(message)
        return hasher.finalize()
    }
}
