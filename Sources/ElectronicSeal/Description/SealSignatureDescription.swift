import Foundation
import SealCrypto
import SwiftASN1

/// Every field of a seal signature (an OFD `SignedValue.dat`) in readable form, with its seal.
public struct SealSignatureDescription: Codable, Sendable, Hashable {
    public var standard: String
    public var layoutVersion: Int
    public var tbsVersion: Int
    public var signingTime: SealDescription.TimeDescription
    /// The dataHash as hex.
    public var dataHash: String
    public var propertyInfo: String
    public var signer: SealDescription.CertificateDescription
    public var signatureAlgorithm: String
    public var signatureAlgorithmName: String?
    public var signatureBytes: Int
    public var hasTimeStamp: Bool
    public var extensions: [SealDescription.ExtensionEntry]
    public var seal: SealDescription

    public init(_ signature: SESSignature) {
        standard = signature.version.standard
        layoutVersion = signature.version.rawValue
        tbsVersion = signature.toSign.version
        signingTime = SealDescription.TimeDescription(signature.toSign.timeInfo)
        dataHash = signature.toSign.dataHash.bytes.hex
        propertyInfo = signature.toSign.propertyInfo
        signer = SealDescription.CertificateDescription(der: signature.signerCertificate)
        signatureAlgorithm = signature.signatureAlgorithm.description
        signatureAlgorithmName = SignatureAlgorithm(oid: signature.signatureAlgorithm)?.description
        signatureBytes = signature.signature.bytes.count
        hasTimeStamp = signature.timeStamp != nil || signature.toSign.timeInfo.timeStampToken != nil
        extensions = (signature.toSign.extensions ?? []).map {
            SealDescription.ExtensionEntry(oid: $0.extnID.description, critical: $0.critical, valueBytes: $0.extnValue.count)
        }
        seal = SealDescription(signature.seal)
    }
}
