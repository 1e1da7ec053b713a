/// A ``Signer`` over a ``PrivateKey`` in process memory.
public struct SoftwareSigner: Signer {
    public let key: PrivateKey
    public let algorithm: SignatureAlgorithm
    public let certificate: Certificate?
    public let certificateChain: [Certificate]
    /// The SM2 distinguishing ID (default `1234567812345678`); ignored for other algorithms.
    public let sm2ID: [UInt8]

    /// A signer for `key`, with the key type's default scheme unless `algorithm` is given.
    ///
    /// - Throws: ``CryptoError/Code/unsupportedAlgorithm`` if the scheme does not fit the key, or
    ///   ``CryptoError/Code/invalidKey`` if `certificate` holds a different public key.
    public init(
        key: PrivateKey, certificate: Certificate? = nil, chain: [Certificate] = [],
        algorithm: SignatureAlgorithm? = nil, sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) throws(CryptoError) {
        guard let chosen = algorithm ?? key.algorithm.defaultSignatureAlgorithm else {
            throw CryptoError(.unsupportedAlgorithm, "no signature scheme for a \(key.algorithm) key")
        }
        guard chosen.fits(key.algorithm), chosen.isAllowedForSigning else {
            throw CryptoError(.unsupportedAlgorithm, "\(chosen) does not fit a \(key.algorithm) key")
        }
        if let certificate, certificate.publicKey != key.publicKey {
            throw CryptoError(.invalidKey, "the certificate does not belong to the private key")
        }
        self.key = key
        self.algorithm = chosen
        self.certificate = certificate
        self.certificateChain = chain
        self.sm2ID = sm2ID
    }

    public var publicKey: PublicKey? { key.publicKey }

    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        try key.sign(message, algorithm: algorithm, sm2ID: sm2ID)
    }
}
