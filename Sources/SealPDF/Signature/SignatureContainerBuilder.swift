import ElectronicSeal
import Foundation
import SealCrypto

/// Chooses and prepares the /Contents builder for a request: CMS (PAdES, PKCS#7, SM2) or a GB/T 38540 SES.
struct SignatureContainerBuilder: Sendable {
    private enum Kind: Sendable {
        case cms(CMSSignatureBuilder)
        case ses(SESSignatureBuilder)
    }

    private let kind: Kind
    private let timestamper: (any TimeStampProvider)?
    /// The digest streamed over the byte ranges.
    let digest: DigestAlgorithm
    /// Bytes reserved for /Contents.
    let reservation: Int
    /// The seal's own picture (SES only).
    let sealPicture: [UInt8]?

    init(request: PDFStampRequest) throws {
        let signer = request.signer
        let isSM2 = signer.algorithm == .sm2WithSM3
        var timestampBytes = 0
        switch request.format {
        case .padesBT:
            guard request.timestamper != nil else {
                throw PDFStampError(.unsupportedFormat, "PAdES B-T needs a time-stamping authority")
            }
            timestampBytes = request.timestampReservationBytes
        default:
            timestampBytes = request.timestamper == nil ? 0 : request.timestampReservationBytes
        }
        timestamper = request.timestamper
        switch request.format {
        case .padesBB, .padesBT:
            let builder = try CMSSignatureBuilder(signer: signer, profile: .pades)
            kind = .cms(builder)
            reservation = builder.reservationWithoutTimestamp + (timestampBytes > 0 ? timestampBytes + 64 : 0)
            sealPicture = nil
        case .pkcs7:
            let builder = try CMSSignatureBuilder(signer: signer, profile: .pkcs7)
            kind = .cms(builder)
            reservation = builder.reservationWithoutTimestamp + (timestampBytes > 0 ? timestampBytes + 64 : 0)
            sealPicture = nil
        case .sm2(let gmtOIDs):
            guard isSM2 else { throw PDFStampError(.unsupportedFormat, "the sm2 format needs an SM2 key") }
            let builder = try CMSSignatureBuilder(signer: signer, profile: .pkcs7, gmtOIDs: gmtOIDs)
            kind = .cms(builder)
            reservation = builder.reservationWithoutTimestamp + (timestampBytes > 0 ? timestampBytes + 64 : 0)
            sealPicture = nil
        case .ses(let sealBytes, _, _):
            guard isSM2 else { throw PDFStampError(.unsupportedFormat, "an SES seal signature needs an SM2 key") }
            let builder = try SESSignatureBuilder(signer: signer, sealBytes: sealBytes)
            kind = .ses(builder)
            reservation = builder.reservation + (timestampBytes > 0 ? timestampBytes + 16 : 0)
            sealPicture = builder.picture
        }
        digest = isSM2 ? .sm3 : signer.algorithm.digest
    }

    /// Builds the /Contents value for the digest of the byte ranges.
    func build(contentDigest: [UInt8], signingTime: Date) throws -> [UInt8] {
        let seconds = Int64(signingTime.timeIntervalSince1970.rounded(.down))
        let stamp: (([UInt8]) throws -> [UInt8])? = timestamper.map { tsa in
            { signature in
                do {
                    return try tsa.timeStampToken(digest: Digest.hash(.sha256, signature), algorithm: .sha256)
                } catch {
                    throw PDFStampError(.signingFailed, "the time-stamping authority failed: \(error)")
                }
            }
        }
        switch kind {
        case .cms(let builder):
            return try builder.build(contentDigest: contentDigest, signingTime: seconds, timestamp: stamp)
        case .ses(let builder):
            return try builder.build(dataHash: contentDigest, signingTime: signingTime, timestamp: stamp)
        }
    }
}
