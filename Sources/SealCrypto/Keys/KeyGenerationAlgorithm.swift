/// What kind of key ``PrivateKey/generate(_:)`` makes.
public enum KeyGenerationAlgorithm: Sendable, Hashable {
    /// SM2 on the SM2 curve.
    case sm2
    /// ECDSA on NIST P-256.
    case ecdsaP256
    /// ECDSA on NIST P-384.
    case ecdsaP384
    /// RSA with the given modulus size (2048 or more).
    case rsa(bits: Int)
}
