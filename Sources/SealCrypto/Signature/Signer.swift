/// Something that signs messages with a private key it keeps to itself (software key, HSM, USB key, remote
/// signing service).
///
/// The signer receives the whole MESSAGE, not a pre-computed hash: SM2 mixes the signer's Z value (from the
/// distinguishing ID and public key) into the hash, so the hash cannot be taken apart from the signature.
public protocol Signer: Sendable {
    /// The scheme this signer produces.
    var algorithm: SignatureAlgorithm { get }
    /// The signer's certificate, if it has one.
    var certificate: Certificate? { get }
    /// Intermediate certificates up to (not including) the root, leaf first or in any order.
    var certificateChain: [Certificate] { get }
    /// The public half of the signing key when the signer can tell it (a software key, a token that exports it);
    /// nil when only the certificate says which key signs. Used to refuse a key paired with another certificate.
    var publicKey: PublicKey? { get }
    /// Signs `message`; SM2/ECDSA signatures are DER `SEQUENCE { r, s }`.
    func sign(_ message: [UInt8]) throws -> [UInt8]
}

extension Signer {
    public var publicKey: PublicKey? { nil }
}
