/// What a seal signature protects, as far as the caller has it.
public enum SealSignedData: Sendable, Hashable {
    /// The protected bytes (for OFD: the exact bytes of this signature's `Signature.xml`); they are hashed with
    /// the digest of the signature algorithm (SM3 for SM2).
    case content([UInt8])
    /// A digest the caller computed (for PDF: over the signed byte ranges).
    case digest([UInt8])
    /// The content is not available; the dataHash check is reported as skipped.
    case unavailable
}
