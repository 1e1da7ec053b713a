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
        let publicKey = certificate == nil ? nil : key.publicKey
        if let certificate, certificate.publicKey != publicKey {
            throw CryptoError(.invalidKey, "the certificate does not belong to the private key")
        }
        self.derivedPublicKey = publicKey
        self.key = key
        self.algorithm = chosen
        self.certificate = certificate
        self.certificateChain = chain
        self.sm2ID = sm2ID
    }

    /// With a certificate, derived once at init (which compares it with the certificate's anyway): deriving it
    /// (an OpenSSL encode and decode of the key) on every call was a large share of a seal signature's
    /// overhead, since ``SealPolicy`` asks for it before each one.
    public var publicKey: PublicKey? { derivedPublicKey ?? key.publicKey }
    private let derivedPublicKey: PublicKey?

    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        try key.sign(message, algorithm: algorithm, sm2ID: sm2ID)
    }
}
