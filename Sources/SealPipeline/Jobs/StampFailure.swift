import ElectronicSeal
import SealCrypto
import SealOFD
import SealPDF
import SealQueue
import SealWorker

/// The job failure for an error the stamp engine threw: each engine error code maps to a ``JobErrorCode`` (whose
/// retry decision the worker takes), the engine's own code stays in the reason.
enum StampFailure {
    static func failure(_ error: any Error) -> JobFailure {
        switch error {
        case let failure as JobFailure:
            return failure
        case let error as PDFStampError:
            return JobFailure(code(error.code), "\(error.code): \(error.reason)")
        case let error as PDFError:
            return JobFailure(code(error.code), "\(error.code): \(error.reason)")
        case let error as OFDError:
            return JobFailure(code(error.code), "\(error.code): \(error.reason)")
        case let error as ElectronicSealError:
            return JobFailure(code(error.code), "\(error.code): \(error.reason)")
        case let error as CryptoError:
            let code: JobErrorCode = error.code == .network ? .tsaUnavailable
                : error.code == .keyUnavailable ? .keyUnavailable : .signingFailed
            return JobFailure(code, "\(error.code): \(error.reason)")
        default:
            return JobFailure(.unexpected, String(describing: error))
        }
    }

    static func code(_ code: PDFStampError.Code) -> JobErrorCode {
        switch code {
        case .unreadableDocument: .malformedInput
        case .encryptedNeedsPassword: .encryptedNeedsPassword
        case .wrongPassword: .wrongPassword
        case .badPlacement, .noSuchPage, .lockedByCertification, .fieldExists: .placementRefused
        case .badImage, .badSeal: .sealRefused
        case .unsupportedFormat: .keyNotInSeal
        case .signingFailed: .signingFailed
        case .keywordNotFound: .keywordNotFound
        default: .unexpected
        }
    }

    /// The seal policy's refusals (the same for PDF and OFD): a key the seal does not list is `keyNotInSeal`,
    /// a seal that may not be used now or in this layout `sealRefused`; neither is retried.
    static func code(_ code: ElectronicSealError.Code) -> JobErrorCode {
        switch code {
        case .signerNotInSeal, .keyDoesNotMatchCertificate, .signerHasNoCertificate: .keyNotInSeal
        case .signingFailed: .signingFailed
        default: .sealRefused
        }
    }

    static func code(_ code: PDFError.Code) -> JobErrorCode {
        switch code {
        case .passwordRequired, .unsupportedEncryption: .encryptedNeedsPassword
        case .wrongPassword: .wrongPassword
        default: .malformedInput
        }
    }

    static func code(_ code: OFDError.Code) -> JobErrorCode {
        switch code {
        case .signingFailed: .signingFailed
        case .pageNotFound, .documentLocked, .invalidPlacement: .placementRefused
        case .invalidSeal: .sealRefused
        case .keywordNotFound: .keywordNotFound
        default: .malformedInput
        }
    }
}
