import ElectronicSeal
import Foundation
import SealCrypto

/// Builds the SignedValue.dat of a new signature.
enum OFDSealSigning {
    /// SES_Signature over `dataHash` = SM3(Signature.xml), in the seal's layout (v4/v5 or v1), with an optional
    /// RFC 3161 timestamp over the signature value (v4/v5).
    static func sesSignature(seal: SESeal, dataHash: [UInt8], propertyInfo: String, request: OFDStampRequest) throws
        -> [UInt8]
    {
        guard request.signer.algorithm == .sm2WithSM3 else {
            throw OFDError(.signingFailed, "seal signatures use SM2 with SM3; the signer uses \(request.signer.algorithm)")
        }
        if request.timestamp != nil, seal.version == .v1 {
            throw OFDError(.signingFailed, "GM/T 0031-2014 (v1) signatures have no timestamp field; use a v4 seal")
        }
        var builder = SealSignatureBuilder(seal: seal, dataHash: dataHash, propertyInfo: propertyInfo)
        builder.signingTime = request.signingTime
        return try builder.encoded(signer: request.signer, timeStamper: request.timestamp)
    }

    /// GB/T 35275 SignedData for a `Type="Sign"` signature: detached, with PKCS#9 signed attributes
    /// (contentType, signingTime, messageDigest = SM3(Signature.xml)) and GM/T 0010 OIDs, the layout 12306
    /// tickets use and Suwell readers accept.
    static func signedData(dataHash: [UInt8], request: OFDStampRequest) throws -> [UInt8] {
        let options = CMSSignOptions(
            signingTime: request.signingTime, oidStyle: .gmt0010, includeChain: true, timestamp: request.timestamp,
            includeSigningCertificateV2: false)
        return try CMSSignedData.signDetached(
            contentDigest: dataHash, digestAlgorithm: .sm3, signer: request.signer, options: options)
    }
}
