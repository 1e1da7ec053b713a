/// A ``Signer`` whose signature comes from elsewhere: an HSM (SDF), a USB key (SKF), a remote signing
/// service. SealPress only ever hands it the message and takes back the signature.
public struct ExternalSigner: Signer {
    public let algorithm: SignatureAlgorithm
    public let certificate: Certificate?
    public let certificateChain: [Certificate]
    private let produce: @Sendable ([UInt8]) throws -> [UInt8]

    /// - Parameters:
    ///   - sign: returns the signature over the whole message (SM2: DER `SEQUENCE { r, s }` with the standard
    ///     ID; raw `r‖s` and sloppy DER are converted to canonical DER when `algorithm` is SM2 or ECDSA).
    public init(
        algorithm: SignatureAlgorithm, certificate: Certificate?, chain: [Certificate] = [],
        sign: @escaping @Sendable ([UInt8]) throws -> [UInt8]
    ) {
        self.algorithm = algorithm
        self.certificate = certificate
        self.certificateChain = chain
        self.produce = sign
    }

    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        let signature = try produce(message)
        let isEC: Bool
        switch algorithm {
        case .sm2WithSM3, .ecdsaWithSHA256, .ecdsaWithSHA384, .ecdsaWithSHA512, .ecdsaWithSHA1: isEC = true
        default: isEC = false
        }
        guard isEC else { return signature }
        if let canonical = ECSignatureEncoding.canonicalDER(signature) { return canonical }
        if [64, 96, 132].contains(signature.count), !ECSignatureEncoding.isDER(signature) {
            return try ECSignatureEncoding.derFromRaw(signature)
        }
        return signature
    }
}
