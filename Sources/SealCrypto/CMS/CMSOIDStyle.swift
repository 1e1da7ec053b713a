public import SwiftASN1

/// Which content-type OIDs a SignedData uses: international PKCS#7 or Chinese GM/T 0010 / GB/T 35275.
///
/// GM/T 0010 SignedData is PKCS#7 with different OIDs (`1.2.156.10197.6.1.4.2.2` signedData,
/// `.1` data); Chinese verifiers accept both, PDF readers only PKCS#7.
public enum CMSOIDStyle: String, Sendable, Hashable, CaseIterable {
    case pkcs7
    case gmt0010

    /// The ContentInfo type for SignedData.
    public var signedDataOID: ASN1ObjectIdentifier { self == .pkcs7 ? OIDs.pkcs7SignedData : OIDs.gmSignedData }
    /// The content type for plain data.
    public var dataOID: ASN1ObjectIdentifier { self == .pkcs7 ? OIDs.pkcs7Data : OIDs.gmData }
}
