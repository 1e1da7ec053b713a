import ElectronicSeal
import Foundation
import SealCrypto

/// Builds a GB/T 38540-2020 (v4) `SES_Signature` for a PDF: `dataHash` = SM3 over the /ByteRange bytes,
/// signed by the seal holder's SM2 key over DER(TBS_Sign).
///
/// ```asn1
/// SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING, signatureAlgID OBJECT IDENTIFIER,
///                              signature BIT STRING, timeStamp [0] BIT STRING OPTIONAL }
/// TBS_Sign ::= SEQUENCE { version INTEGER (4), eseal SESeal, timeInfo GeneralizedTime,
///                         dataHash BIT STRING, propertyInfo IA5String }
/// ```
struct SESSignatureBuilder: Sendable {
    /// What `propertyInfo` says about the signed data for a PDF: the byte ranges of the file.
    static let propertyInfo = "/ByteRange"

    let signer: any Signer
    let sealDER: [UInt8]
    let certificateDER: [UInt8]
    let picture: [UInt8]?
    let reservation: Int

    init(signer: any Signer, sealBytes: [UInt8]) throws {
        let seal: SESeal
        do {
            seal = try SESeal(bytes: sealBytes)
        } catch {
            throw PDFStampError(.badSeal, "the electronic seal cannot be parsed: \(error)")
        }
        guard let certificate = signer.certificate else {
            throw PDFStampError(.signingFailed, "an SES signature needs the signer's certificate")
        }
        self.signer = signer
        sealDER = Array(seal.derEncoded)
        certificateDER = certificate.der
        let type = seal.picture.type.lowercased()
        picture = (type == "png" || type == "jpg" || type == "jpeg") ? Array(seal.picture.data) : nil
        reservation = ContentsReservation.ses(
            sealBytes: sealDER.count, certificateBytes: certificateDER.count,
            propertyInfoBytes: Self.propertyInfo.utf8.count, maximumSignatureBytes: 72
        ).bytes
    }

    func build(dataHash: [UInt8], signingTime: Date, timestamp: (([UInt8]) throws -> [UInt8])?) throws -> [UInt8] {
        let seconds = Int64(signingTime.timeIntervalSince1970.rounded(.down))
        let tbs = DERBytes.sequence(
            DERBytes.integer(4), sealDER, DERBytes.time(seconds, forceGeneralized: true),
            DERBytes.tlv(0x03, [0] + dataHash), DERBytes.tlv(0x16, Array(Self.propertyInfo.utf8)))
        let signature: [UInt8]
        do {
            signature = try signer.sign(tbs)
        } catch {
            throw PDFStampError(.signingFailed, "the signer failed: \(error)")
        }
        var body = tbs + DERBytes.octetString(certificateDER) + CMSOIDs.sm2WithSM3 + DERBytes.tlv(0x03, [0] + signature)
        if let timestamp {
            body += DERBytes.context(0, constructed: false, [0] + (try timestamp(signature)))
        }
        return DERBytes.tlv(0x30, body)
    }
}
