public import Foundation
public import SealCrypto

/// A ``SealCrypto/Signer`` whose key stays in a SealPress signing service (`sealpress keys serve`).
///
/// Made from a `sealpress+https://HOST:PORT/keys/NAME` reference: it fetches the key's certificate chain and public
/// key from the service once (so nothing about the key is needed up front), then each ``sign(_:)`` hashes the
/// message HERE (SM2: `e = SM3(Z ‖ M)` with the certificate's public key and the distinguishing ID) and sends only
/// the digest. A service that is down or hangs throws a retryable ``RemoteSignerError``.
public struct RemoteSigner: Signer {
    public let algorithm: SignatureAlgorithm
    public let certificate: Certificate?
    public let certificateChain: [Certificate]
    public let publicKey: PublicKey?
    /// The SM2 distinguishing ID the digest is made with (default `1234567812345678`).
    public let sm2ID: [UInt8]
    /// Where the key is.
    public let location: RemoteKeyLocation
    private let client: RemoteSigningClient

    /// Connects to the service and reads the key's description (one `GET /keys/NAME`).
    ///
    /// - Throws: ``RemoteSignerError`` (``RemoteSignerError/isRetryable`` when the service is down or slow).
    public init(
        reference: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) throws(RemoteSignerError) {
        try self.init(location: RemoteKeyLocation(reference, environment: environment), sm2ID: sm2ID)
    }

    /// Connects to the service at `location` and reads the key's description.
    public init(location: RemoteKeyLocation, sm2ID: [UInt8] = SM2.defaultDistinguishingID) throws(RemoteSignerError) {
        let client = try RemoteSigningClient(location: location)
        let description = try client.get(Self.keyPath(location), as: RemoteKeyDescription.self)
        let (algorithm, publicKey, certificates) = try description.checkedKey(keyName: location.keyName)
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.certificate = certificates.first
        self.certificateChain = Array(certificates.dropFirst())
        self.sm2ID = sm2ID
        self.location = location
        self.client = client
    }

    /// Hashes `message` locally and has the service sign the digest; SM2/ECDSA signatures are DER `SEQUENCE { r, s }`.
    ///
    /// - Throws: ``RemoteSignerError`` (retryable when the service is down or slow), ``SealCrypto/CryptoError`` when
    ///   the digest cannot be made or the service's signature does not verify against the key's public key.
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        let digest = try SigningDigest.digest(for: message, algorithm: algorithm, publicKey: publicKey, sm2ID: sm2ID)
        let signature = try signDigest(digest)
        // A wrong key or a broken service must not produce a document with a bad signature.
        guard let publicKey, publicKey.verify(signature: signature, for: message, algorithm: algorithm, sm2ID: sm2ID) else {
            throw RemoteSignerError(.badResponse, "the service's signature for \(location.keyName) does not verify with the key's public key")
        }
        return signature
    }

    /// Has the service sign a digest made with ``SealCrypto/SigningDigest`` (no local check).
    public func signDigest(_ digest: [UInt8]) throws(RemoteSignerError) -> [UInt8] {
        guard let wire = RemoteSigningScheme(algorithm) else {
            throw RemoteSignerError(.rejected, "\(algorithm) is not signed remotely")
        }
        let request = RemoteSignRequest(digest: Data(digest).base64EncodedString(), algorithm: wire.algorithm, scheme: wire.scheme)
        return try client.post(Self.keyPath(location) + "/sign", request, as: RemoteSignResponse.self).signatureBytes()
    }

    private static func keyPath(_ location: RemoteKeyLocation) -> String {
        "/keys/" + (location.keyName.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? location.keyName)
    }
}
