import SealCrypto

extension AuditChain {
    /// The chain as the database computes it: SHA-256.
    public static let sha256 = AuditChain { Digest.hash(.sha256, $0) }
}
