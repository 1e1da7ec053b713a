import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing

@testable import SealPDF

/// Our own stamps verify: every format, several seals one after another, certification.
@Suite struct VerifyOwnOutputTests {
    static func trust() -> PDFVerifyOptions { PDFVerifyOptions(trust: SignFixtures.pki.trustStore) }

    @Test func padesRSAVerifiesAndIsTrusted() throws {
        let signed = try PDFStamper.stamp(
            try SignFixtures.corpus("sf-libreoffice-writer.pdf"), request: SignFixtures.request(try SignFixtures.rsaSigner()))
        let report = PDFVerifier.verify(signed, options: Self.trust())
        #expect(report.indication == .passed, "\(report.signatures.map(\.checks))")
        #expect(report.signatures.first?.format == "pdf.pades")
        #expect(report.signatures.first?.algorithm == "RSA-SHA256")
        let untrusted = PDFVerifier.verify(signed)
        #expect(untrusted.indication == .indeterminate)
        #expect(untrusted.verdict.subIndication == .noCertificateChainFound)
    }

    @Test func threeSealsOneAfterAnotherAllStayValid() throws {
        var bytes = try SignFixtures.corpus("sf-libreoffice-form.pdf")
        let signers: [any Signer] = [try SignFixtures.rsaSigner(), try SignFixtures.ecdsaSigner(), try SignFixtures.sm2Signer()]
        let formats: [PDFSignatureFormat] = [.padesBB, .pkcs7, .sm2()]
        for (signer, format) in zip(signers, formats) {
            bytes = try PDFStamper.stamp(bytes, request: SignFixtures.request(signer, format: format))
        }
        let report = PDFVerifier.verify(bytes, options: Self.trust())
        #expect(report.signatures.map(\.id) == ["Seal1", "Seal2", "Seal3"])
        #expect(report.signatures.map(\.format) == ["pdf.pades", "pdf.pkcs7", "pdf.sm2"])
        #expect(report.indication == .passed, "\(report.signatures.map(\.checks))")
    }
}
