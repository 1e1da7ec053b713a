/// A ``Signer`` that can also sign a digest computed elsewhere: what a signing service needs from a key it holds.
///
/// The digest is the whole input of the signature primitive: for RSA PKCS#1 v1.5 the hash that goes into the
/// DigestInfo, for RSA-PSS the message hash `mHash`, for ECDSA the hash `H(M)`, and for SM2 the value
/// `e = SM3(Z ‖ M)` (GB/T 32918.2 §6.1 A2; see ``SigningDigest/digest(for:algorithm:publicKey:sm2ID:)``).
public protocol DigestSigner: Signer {
    /// Signs `digest` with `algorithm` (which must fit the key; `digest.count` must be the scheme's hash length).
    ///
    /// - Throws: ``CryptoError`` with ``CryptoError/Code/invalidArgument`` for a digest of the wrong length,
    ///   ``CryptoError/Code/unsupportedAlgorithm`` for a scheme the key cannot make.
    func signDigest(_ digest: [UInt8], algorithm: SignatureAlgorithm) throws -> [UInt8]
}

extension SoftwareSigner: DigestSigner {
    public func signDigest(_ digest: [UInt8], algorithm: SignatureAlgorithm) throws -> [UInt8] {
        try key.signDigest(digest, algorithm: algorithm)
    }
}
