import Foundation
import SealCrypto
import SealReport
import SwiftASN1

extension SealVerifier {
    /// Verifies a seal signature and wraps the checks in a ``SignatureReport`` with the signer, seal and time
    /// filled in, as the OFD and PDF engines report it.
    ///
    /// - Parameters:
    ///   - id: the signature's identifier in its document (OFD signature ID, PDF field name).
    ///   - format: the report format label, e.g. `ofd.seal` or `pdf.ses`.
    public static func report(
        id: String, format: String, signature: SESSignature, signedData: SealSignedData, trust: TrustStore? = nil,
        at time: Date = Date()
    ) -> SignatureReport {
        let checks = verify(signature: signature, signedData: signedData, trust: trust, at: time)
        let signer = try? Certificate(der: Array(signature.signerCertificate))
        let stamped = checks.first { $0.name == SealCheckName.timestamp }?.status == .passed
        var signingTime = signature.toSign.timeInfo.date
        if stamped, let token = signature.timeStamp,
            let genTime = TimeStampVerification.verify(
                tokenDER: Array(token), messageImprintOf: Array(signature.signature.bytes), trust: trust
            ).genTime
        {
            signingTime = genTime
        }
        return SignatureReport(
            id: id, format: format,
            algorithm: SignatureAlgorithm(oid: signature.signatureAlgorithm)?.description
                ?? signature.signatureAlgorithm.description,
            signer: signer?.subject, signerSerial: signer?.serialNumberHex, sealName: signature.seal.name,
            sealID: signature.seal.esID, signingTime: signingTime, timestamped: stamped, checks: checks)
    }
}
