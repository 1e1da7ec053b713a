import ElectronicSeal
import SealCrypto
import SealOFD
import SealPDF
@testable import SealPipeline
import SealQueue
import SealWorker
import Testing

/// Engine errors become job failures by their codes (never by their messages), and the worker's decision follows.
@Suite struct StampFailureTests {
    @Test func engineCodesMapToJobCodes() {
        let cases: [(any Error, JobErrorCode)] = [
            (PDFStampError(.encryptedNeedsPassword, "needs a password"), .encryptedNeedsPassword),
            (PDFStampError(.unreadableDocument, "xref"), .malformedInput),
            (PDFStampError(.badPlacement, "off the page"), .placementRefused),
            (PDFStampError(.lockedByCertification, "P=1"), .placementRefused),
            (PDFStampError(.unsupportedFormat, "SM2 format with an RSA key"), .keyNotInSeal),
            (PDFStampError(.signingFailed, "HSM busy"), .signingFailed),
            (PDFError(.passwordRequired, "encrypted"), .encryptedNeedsPassword),
            (PDFStampError(.wrongPassword, "opens neither as user nor as owner"), .wrongPassword),
            (PDFError(.wrongPassword, "opens neither as user nor as owner"), .wrongPassword),
            (PDFError(.malformed, "sealRefused: not a PDF"), .malformedInput),
            (OFDError(.malformedXML, "bad"), .malformedInput),
            (OFDError(.documentLocked, "locked"), .placementRefused),
            (OFDError(.signingFailed, "signer"), .signingFailed),
            (OFDError(.keywordNotFound, "no 盖章处"), .keywordNotFound),
            (PDFStampError(.keywordNotFound, "no 盖章处"), .keywordNotFound),
            (CryptoError(.network, "TSA did not answer"), .tsaUnavailable),
            (JobFailure(.keywordNotFound, "no 盖章处"), .keywordNotFound),
            (ElectronicSealError(.signerNotInSeal, "not listed"), .keyNotInSeal),
            (ElectronicSealError(.keyDoesNotMatchCertificate, "other key"), .keyNotInSeal),
            (ElectronicSealError(.sealExpired, "2021"), .sealRefused),
            (ElectronicSealError(.sealNotYetValid, "2030"), .sealRefused),
            (ElectronicSealError(.sealVersionMismatch, "v1"), .sealRefused),
        ]
        for (error, code) in cases {
            let failure = StampFailure.failure(error)
            #expect(failure.code == code, "\(error)")
        }
    }

    @Test func permanentEngineFailuresAreDiscardedAndTransientOnesRetried() {
        let encrypted = StampFailure.failure(PDFStampError(.encryptedNeedsPassword, "x"))
        #expect(FailureDecision.decide(encrypted.code, attempt: 1, maxAttempts: 5) == .discard)
        let wrong = StampFailure.failure(PDFStampError(.wrongPassword, "x"))
        #expect(FailureDecision.decide(wrong.code, attempt: 1, maxAttempts: 5) == .discard)
        let tsa = StampFailure.failure(CryptoError(.network, "x"))
        #expect(FailureDecision.decide(tsa.code, attempt: 1, maxAttempts: 5, unit: 0.5) == .retry(afterSeconds: 2))
    }
}
