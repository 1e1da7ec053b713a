public import Foundation
public import SealCrypto

// The checks both sides make on the protocol's JSON bodies, without any network: `keys serve` on a sign request
// (``RemoteSignRequest/decode(_:)``, ``RemoteSignRequest/checked(keyName:keyAlgorithm:)``), the client on the
// service's answers (``RemoteKeyDescription/checkedKey(keyName:)``, ``RemoteSignResponse/signatureBytes()``).
// Pure functions over bytes, so the request-body fuzz target (Fuzz/RequestBody) feeds them without NIO.

extension RemoteSignRequest {
    /// Why `keys serve` refuses a sign request before signing: the wire error `code` (`badRequest`,
    /// `unsupportedScheme`) and the message it answers with (400).
    public struct Refusal: Error, Sendable, Hashable {
        public var code: String
        public var message: String
    }

    /// Decodes a `POST /keys/NAME/sign` body; nil when it is not the JSON object the protocol describes.
    public static func decode(_ body: Data) -> RemoteSignRequest? {
        try? JSONDecoder().decode(RemoteSignRequest.self, from: body)
    }

    /// What `keys serve` checks before it signs for key `keyName` whose public key is of `keyAlgorithm` (nil when
    /// the key has none): the digest is base64, the scheme fits the key, the digest has the algorithm's length.
    ///
    /// - Returns: the digest's bytes and the signature algorithm to sign them with.
    public func checked(
        keyName: String, keyAlgorithm: KeyAlgorithm?
    ) throws(Refusal) -> (digest: [UInt8], algorithm: SignatureAlgorithm) {
        guard let digest = Data(base64Encoded: digest) else {
            throw Refusal(code: "badRequest", message: "digest is not base64")
        }
        guard let algorithm = RemoteSigningScheme(algorithm: algorithm, scheme: scheme).signatureAlgorithm,
            let keyAlgorithm, algorithm.fits(keyAlgorithm)
        else {
            throw Refusal(code: "unsupportedScheme", message: "key \(keyName) does not sign \(scheme) with \(self.algorithm)")
        }
        guard digest.count == algorithm.digest.outputByteCount else {
            throw Refusal(
                code: "badRequest",
                message: "a \(self.algorithm) digest has \(algorithm.digest.outputByteCount) bytes, not \(digest.count)")
        }
        return (Array(digest), algorithm)
    }
}

extension RemoteKeyDescription {
    /// The client's checks of a `GET /keys/NAME` answer: a scheme SealPress signs with, a public key and
    /// certificates that parse, a key fit for the scheme, and a first certificate that holds the key.
    ///
    /// - Throws: ``RemoteSignerError`` `badResponse`.
    public func checkedKey(
        keyName: String
    ) throws(RemoteSignerError) -> (algorithm: SignatureAlgorithm, publicKey: PublicKey, certificates: [Certificate]) {
        guard let algorithm = RemoteSigningScheme(algorithm: algorithm, scheme: scheme).signatureAlgorithm else {
            throw RemoteSignerError(.badResponse, "the service's key \(keyName) uses \(scheme)/\(self.algorithm), which SealPress does not sign with")
        }
        let (publicKey, certificates) = try material(keyName: keyName)
        guard algorithm.fits(publicKey.algorithm) else {
            throw RemoteSignerError(.badResponse, "the service's key \(keyName) is \(publicKey.algorithm), not fit for \(algorithm)")
        }
        if let leaf = certificates.first, leaf.publicKey != publicKey {
            throw RemoteSignerError(.badResponse, "the service's certificate for \(keyName) does not hold the key's public key")
        }
        return (algorithm, publicKey, certificates)
    }

    /// The public key and certificates (a helper of its own: a typed-throws do/catch assigning outer variables
    /// crashes the Swift 6.3 compiler).
    private func material(keyName: String) throws(RemoteSignerError) -> (PublicKey, [Certificate]) {
        do {
            guard let spki = Data(base64Encoded: publicKey) else { throw RemoteSignerError(.badResponse, "") }
            let certificates = try certificates.map { text in
                guard let der = Data(base64Encoded: text) else { throw RemoteSignerError(.badResponse, "") }
                return try Certificate(der: Array(der))
            }
            return (try PublicKey(spkiDER: Array(spki)), certificates)
        } catch {
            throw RemoteSignerError(.badResponse, "the service's public key or certificates for \(keyName) do not parse")
        }
    }
}

extension RemoteSignResponse {
    /// The signature's bytes (base64, not empty).
    ///
    /// - Throws: ``RemoteSignerError`` `badResponse`.
    public func signatureBytes() throws(RemoteSignerError) -> [UInt8] {
        guard let bytes = Data(base64Encoded: signature), !bytes.isEmpty else {
            throw RemoteSignerError(.badResponse, "the service's signature is not base64")
        }
        return Array(bytes)
    }
}
