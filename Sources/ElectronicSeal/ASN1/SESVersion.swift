/// Which standard's layout a seal or seal signature follows, read from its structure (never from a file name).
public enum SESVersion: Int, Hashable, Sendable, Codable, CustomStringConvertible {
    /// GM/T 0031-2014: `SESeal{esealInfo, signInfo}`, `SES_Signature{toSign, signature}` (header version 1).
    case v1 = 1
    /// GB/T 38540-2020: flat `SESeal{eSealInfo, cert, signAlgID, signedValue}` (header version 4).
    case v4 = 4
    /// GM/T 0031-2025: v4 plus an optional seal `timeStamp` (header version 5).
    case v5 = 5

    /// The standard's number and year.
    public var standard: String {
        switch self {
        case .v1: "GM/T 0031-2014"
        case .v4: "GB/T 38540-2020"
        case .v5: "GM/T 0031-2025"
        }
    }

    public var description: String { "v\(rawValue) (\(standard))" }
}
