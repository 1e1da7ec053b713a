import ElectronicSeal
import Foundation
import SealCrypto

/// Builds the SignedValue.dat of a new signature.
enum OFDSealSigning {
    /// SES_Signature (v4 or v1) over `dataHash` = SM3(Signature.xml), signed by the request's signer.
    static func sesSignature(seal: SESeal, dataHash: [UInt8], propertyInfo: String, request: OFDStampRequest) throws
        -> [UInt8]
    {
        guard let certificate = request.signer.certificate else {
            throw OFDError(.signingFailed, "the signer has no certificate")
        }
        guard request.signer.algorithm == .sm2WithSM3 else {
            throw OFDError(.signingFailed, "seal signatures use SM2 with SM3; the signer uses \(request.signer.algorithm)")
        }
        switch request.sesVersion {
        case .v4:
            let tbs = try TBSSign(
                version: seal.version == .v5 ? 5 : 4, eseal: seal,
                timeInfo: SESTime(request.signingTime, encoding: .generalizedTime), dataHash: dataHash,
                propertyInfo: propertyInfo
            ).serializedBytes()
            let value = try request.signer.sign(tbs)
            return DERWriter.sequence(
                tbs + DERWriter.octetString(certificate.der) + DERWriter.sm2WithSM3 + DERWriter.bitString(value))
        case .v1:
            let tbs = try TBSSign(
                version: 1, eseal: seal, timeInfo: SESTime(request.signingTime, encoding: .bitString),
                dataHash: dataHash, propertyInfo: propertyInfo, signerCertificate: certificate.der,
                signatureAlgorithm: SignatureAlgorithm.sm2WithSM3.oid
            ).serializedBytes()
            let value = try request.signer.sign(tbs)
            return DERWriter.sequence(tbs + DERWriter.bitString(value))
        }
    }

    /// GB/T 35275 SignedData for a `Type="Sign"` signature.
    static func signedData(dataHash: [UInt8], request: OFDStampRequest) throws -> [UInt8] {
        throw OFDError(.signingFailed, "Sign-type signatures (GB/T 35275 SignedData) are not available yet")
    }
}

/// The few DER elements the signature value wrapper needs.
enum DERWriter {
    /// OBJECT IDENTIFIER 1.2.156.10197.1.501 (SM2 with SM3).
    static let sm2WithSM3: [UInt8] = [0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x83, 0x75]

    static func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [tag]
        let count = content.count
        if count < 0x80 {
            out.append(UInt8(count))
        } else {
            var length: [UInt8] = []
            var value = count
            while value > 0 {
                length.insert(UInt8(value & 0xFF), at: 0)
                value >>= 8
            }
            out.append(0x80 | UInt8(length.count))
            out += length
        }
        return out + content
    }

    static func sequence(_ content: [UInt8]) -> [UInt8] { element(0x30, content) }
    static func octetString(_ content: [UInt8]) -> [UInt8] { element(0x04, content) }
    static func bitString(_ content: [UInt8]) -> [UInt8] { element(0x03, [0] + content) }
}
