/// SM2 constants.
public enum SM2 {
    /// The distinguishing ID of GM/T 0009 / GB/T 35276 that every Chinese verifier assumes: `1234567812345678`.
    public static let defaultDistinguishingID: [UInt8] = Array("1234567812345678".utf8)
}
