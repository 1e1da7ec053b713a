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

    /// pdfsig says "Digest Mismatch", pyHanko "INTACT, NONSTANDARD_COVERAGE, ILLEGAL_MODIFICATIONS": both invalid.
    @Test func pdfJSSampleWithNonStandardGapIsInvalid() throws {
        let report = PDFVerifier.verify(try SignFixtures.corpus("pdfjs-signed_verified.pdf"))
        #expect(report.indication == .failed)
        #expect(report.signatures.first?.checks.contains { $0.name == "byteRange" && $0.status == .failed } == true)
    }

    @Test func documentTimestampIsRecognised() throws {
        let report = PDFVerifier.verify(try SignFixtures.corpus("pyhanko-pades-lta-dss.pdf"))
        #expect(report.signatures.map(\.format).contains("pdf.timestamp"))
        #expect(report.signatures.first { $0.format == "pdf.pades" }?.timestamped == false)  // TSA chain unknown here
    }

    /// pyHanko: "Update of … is only allowed after an approval signature, not a certification signature".
    @Test func visibleSignatureAfterCertificationIsIllegal() throws {
        let url = SignFixtures.fixtures.appendingPathComponent("attacks/certified-then-visible-signature.pdf")
        let report = PDFVerifier.verify(Array(try Data(contentsOf: url)))
        #expect(report.indication == .failed)
        #expect(report.verdict.reasons.joined().contains("certified"), "\(report.verdict.reasons)")
    }

    @Test func unsignedDocumentIsIndeterminate() throws {
        let report = PDFVerifier.verify(try SignFixtures.corpus("sf-minimal-document.pdf"))
        #expect(report.signatures.isEmpty)
        #expect(report.verdict.subIndication == .signedDataNotFound)
    }
}
