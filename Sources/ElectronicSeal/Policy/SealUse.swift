/// What a seal is about to be used for: the layout of the signature that will carry it, or only its picture.
public enum SealUse: Sendable, Hashable, CustomStringConvertible {
    /// A GB/T 38540-2020 `SES_Signature` (v4; a v5 seal signs in the same layout).
    case gbt38540
    /// A GM/T 0031-2014 `SES_Signature` (v1).
    case gmt0031
    /// The seal's picture drawn above another kind of signature (PAdES, PKCS#7, SM2 CMS, OFD `Type="Sign"`).
    case picture

    /// Whether a seal of `version` may be used this way.
    public func admits(_ version: SESVersion) -> Bool {
        switch (self, version) {
        case (.picture, _), (.gbt38540, .v4), (.gbt38540, .v5), (.gmt0031, .v1): return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .gbt38540: "a GB/T 38540 (v4) seal signature"
        case .gmt0031: "a GM/T 0031-2014 (v1) seal signature"
        case .picture: "the seal's picture on a signature"
        }
    }
}
