/// The two kinds of OFD signature (GB/T 33190 §18.2.1 `Signature@Type`).
public enum OFDSignatureType: String, Sendable, Hashable, Codable {
    /// An electronic seal signature: `SignedValue.dat` is an `SES_Signature` and a seal image appears.
    case seal = "Seal"
    /// A plain digital signature: `SignedValue.dat` is GB/T 35275 `SignedData`.
    case sign = "Sign"
}
