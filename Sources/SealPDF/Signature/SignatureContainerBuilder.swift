import ElectronicSeal
import Foundation
import SealCrypto

/// Chooses and prepares what goes into /Contents for a request, through the project's one signing path: CMS from
/// SealCrypto (PAdES, PKCS#7, SM2 CMS) and the GB/T 38540 `SES_Signature` from ElectronicSeal — the same code the
/// OFD engine uses, with the same ``SealPolicy``.
///
/// Everything that depends only on the request (the seal's parse and policy check, the /Contents bound) is done
/// once in `init`; ``build(contentDigest:signingTime:)`` makes the one private-key operation per document.
struct SignatureContainerBuilder: Sendable {
    private enum Kind: Sendable {
        case cms(CMSSignOptions)
        case ses(SESeal)
    }

    private let kind: Kind
    private let signer: any Signer
    private let timestamper: (any TimeStampProvider)?
    /// The digest streamed over the byte ranges.
    let digest: DigestAlgorithm
    /// Bytes reserved for /Contents.
    let reservation: Int
    /// The picture of the seal this signature shows (the SES seal's, or the seal given with another format).
    let sealPicture: [UInt8]?

    /// What `propertyInfo` of an SES signature says about the signed data for a PDF: the byte ranges of the file.
    static let sesPropertyInfo = "/ByteRange"

    /// - Throws: ``PDFStampError`` when the format does not fit the signer or the seal cannot be read;
    ///   ``ElectronicSealError`` when ``SealPolicy`` refuses the seal for this signer at the signing time.
    init(request: PDFStampRequest) throws {
        let signer = request.signer
        guard let certificate = signer.certificate else {
            throw PDFStampError(.signingFailed, "the signer has no certificate; a PDF signature must carry one")
        }
        let isSM2 = signer.algorithm == .sm2WithSM3
        if request.format == .padesBT, request.timestamper == nil {
            throw PDFStampError(.unsupportedFormat, "PAdES B-T needs a time-stamping authority")
        }
        let timestampBytes = request.timestamper == nil ? 0 : request.timestampReservationBytes
        self.signer = signer
        self.timestamper = request.timestamper
        self.digest = isSM2 ? .sm3 : signer.algorithm.digest

        // The seal whose picture (or whole SES structure) this signature carries, checked before anything else.
        let sealBytes: [UInt8]?
        if case .ses(let bytes, _, _) = request.format { sealBytes = bytes } else { sealBytes = request.seal }
        var seal: SESeal?
        if let sealBytes {
            do {
                seal = try SESeal(bytes: sealBytes)
            } catch {
                throw PDFStampError(.badSeal, "the electronic seal cannot be read: it is not a GB/T 38540 or GM/T 0031 SESeal")
            }
        }

        var options = CMSSignOptions(
            signingTime: request.signingTime, oidStyle: .pkcs7, includeChain: true, timestamp: request.timestamper,
            includeSigningCertificateV2: false)
        switch request.format {
        case .padesBB, .padesBT:
            options.signingTime = nil  // PAdES: the time is /M, not a signed attribute
            options.includeSigningCertificateV2 = true
        case .pkcs7:
            break
        case .sm2(let gmtOIDs):
            guard isSM2 else { throw PDFStampError(.unsupportedFormat, "the sm2 format needs an SM2 key") }
            options.oidStyle = gmtOIDs ? .gmt0010 : .pkcs7
        case .ses:
            guard isSM2 else { throw PDFStampError(.unsupportedFormat, "an SES seal signature needs an SM2 key") }
        }
        if let seal {
            let use: SealUse
            if case .ses = request.format { use = .gbt38540 } else { use = .picture }
            try SealPolicy.check(seal, signer: signer, at: request.signingTime, use: use)
        }

        switch request.format {
        case .ses:
            guard let seal else { throw PDFStampError(.badSeal, "an SES signature needs an electronic seal") }
            kind = .ses(seal)
            reservation = ContentsReservation.ses(
                sealBytes: seal.derEncoded.count, certificateBytes: certificate.der.count,
                propertyInfoBytes: Self.sesPropertyInfo.utf8.count, maximumSignatureBytes: 72,
                timestampTokenBytes: timestampBytes
            ).bytes
        default:
            kind = .cms(options)
            var chain = [certificate]
            for extra in signer.certificateChain where !chain.contains(extra) { chain.append(extra) }
            reservation = ContentsReservation.cms(
                certificateBytes: chain.map(\.der.count), issuerNameBytes: certificate.issuerName.der.count,
                serialBytes: certificate.serialNumber.count + 3,
                maximumSignatureBytes: ContentsReservation.maximumSignatureBytes(certificate.publicKey.algorithm),
                timestampTokenBytes: timestampBytes
            ).bytes
        }
        if let seal {
            let type = seal.picture.type.lowercased()
            sealPicture = ["png", "jpg", "jpeg"].contains(type) ? Array(seal.picture.data) : nil
        } else {
            sealPicture = nil
        }
    }

    /// Builds the /Contents value for the digest of the byte ranges.
    func build(contentDigest: [UInt8], signingTime: Date) throws -> [UInt8] {
        switch kind {
        case .cms(let options):
            do {
                return try CMSSignedData.signDetached(
                    contentDigest: contentDigest, digestAlgorithm: digest, signer: signer, options: options)
            } catch let error as CryptoError where error.code.isTransient {
                throw error  // the TSA did not answer, or the key's token went away: a retry may succeed
            } catch {
                throw PDFStampError(.signingFailed, "the CMS signature could not be made: \(Self.reason(error))")
            }
        case .ses(let seal):
            var builder = SealSignatureBuilder(seal: seal, dataHash: contentDigest, propertyInfo: Self.sesPropertyInfo)
            builder.signingTime = signingTime
            let signature: SESSignature
            do {
                signature = try builder.build(signer: signer, timeStamper: timestamper)
            } catch let error as ElectronicSealError where error.code.isPolicyRefusal {
                throw error
            } catch let error as CryptoError where error.code.isTransient {
                throw error
            } catch {
                throw PDFStampError(.signingFailed, "the seal signature could not be made: \(Self.reason(error))")
            }
            return Array(signature.derEncoded)
        }
    }

    /// A readable reason for an error from below (the code and sentence of our own error types, never a dump).
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as CryptoError: "\(error.code): \(error.reason)"
        case let error as ElectronicSealError: "\(error.code): \(error.reason)"
        default: "\(error)"
        }
    }
}
