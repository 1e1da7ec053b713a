import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing

@testable import SealPDF

/// Our verifier agrees with pyHanko on the corpus's signed and attack files.
@Suite struct VerifyCorpusTests {
    @Test func byteRangeTailUncoveredIsInvalid() throws {
        let report = PDFVerifier.verify(try SignFixtures.corpus("pyhanko-byterange-tail-uncovered.pdf"))
        #expect(report.signatures.count == 1)
        #expect(report.indication == .failed, "\(report.signatures.first?.checks ?? [])")
        #expect(report.signatures.first?.integrity.indication == .failed)
    }

    @Test(arguments: ["pyhanko-signed-twice.pdf", "pyhanko-pades-lta-dss.pdf"])
    func validPyHankoSamplesAreIntact(_ name: String) throws {
        let report = PDFVerifier.verify(try SignFixtures.corpus(name))
        #expect(!report.signatures.isEmpty)
        for signature in report.signatures {
            #expect(signature.integrity.indication == .passed, "\(signature.id): \(signature.checks)")
        }
        // pyHanko's test PKI is not ours: without its root the verdict is indeterminate, never failed.
        #expect(report.indication == .indeterminate, "\(report.verdict)")
    }

    @Test func unsignedDocumentIsIndeterminate() throws {
        let report = PDFVerifier.verify(try SignFixtures.corpus("sf-minimal-document.pdf"))
        #expect(report.signatures.isEmpty)
        #expect(report.verdict.subIndication == .signedDataNotFound)
    }
}
