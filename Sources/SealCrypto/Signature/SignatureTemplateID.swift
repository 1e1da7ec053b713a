/// Identifies a cached, initialised signature context on a key.
struct SignatureTemplateID: Hashable, Sendable {
    let algorithm: SignatureAlgorithm
    let sm2ID: [UInt8]
    let forSigning: Bool
}
