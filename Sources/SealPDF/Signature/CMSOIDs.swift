import SealCrypto

/// Pre-encoded OIDs for the CMS containers (DER TLVs).
enum CMSOIDs {
    static let pkcs7Data = DERBytes.oid([1, 2, 840, 113549, 1, 7, 1])
    static let pkcs7SignedData = DERBytes.oid([1, 2, 840, 113549, 1, 7, 2])
    /// GM/T 0010-2012 / GB/T 35275 data and signedData.
    static let gmtData = DERBytes.oid([1, 2, 156, 10197, 6, 1, 4, 2, 1])
    static let gmtSignedData = DERBytes.oid([1, 2, 156, 10197, 6, 1, 4, 2, 2])
    static let contentTypeAttribute = DERBytes.oid([1, 2, 840, 113549, 1, 9, 3])
    static let messageDigestAttribute = DERBytes.oid([1, 2, 840, 113549, 1, 9, 4])
    static let signingTimeAttribute = DERBytes.oid([1, 2, 840, 113549, 1, 9, 5])
    static let signingCertificateV2 = DERBytes.oid([1, 2, 840, 113549, 1, 9, 16, 2, 47])
    static let timeStampTokenAttribute = DERBytes.oid([1, 2, 840, 113549, 1, 9, 16, 2, 14])
    static let sm2WithSM3 = DERBytes.oid([1, 2, 156, 10197, 1, 501])
    static let sm3 = DERBytes.oid([1, 2, 156, 10197, 1, 401])
    static let sha256 = DERBytes.oid([2, 16, 840, 1, 101, 3, 4, 2, 1])
    static let sha384 = DERBytes.oid([2, 16, 840, 1, 101, 3, 4, 2, 2])
    static let sha512 = DERBytes.oid([2, 16, 840, 1, 101, 3, 4, 2, 3])
    static let sha1 = DERBytes.oid([1, 3, 14, 3, 2, 26])

    static func data(gmt: Bool) -> [UInt8] { gmt ? gmtData : pkcs7Data }
    static func signedData(gmt: Bool) -> [UInt8] { gmt ? gmtSignedData : pkcs7SignedData }

    static func digest(_ algorithm: DigestAlgorithm) -> [UInt8] {
        switch algorithm {
        case .sm3: sm3
        case .sha384: sha384
        case .sha512: sha512
        case .sha1: sha1
        default: sha256
        }
    }
}
