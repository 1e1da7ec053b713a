@testable import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import Testing

@Suite struct CorpusVerificationTests {
    /// SOURCES.txt: every corpus seal signature is intact (dataHash, signature value, maker signature verify);
    /// the ofdrw test certificates expired in 2022 and no trust anchor is given, so the verdict is indeterminate.
    @Test(arguments: SealFixtures.sealSignatures)
    func corpusSignatureIsIntact(_ fixture: SealFixtures.SignedValue) throws {
        let signature = try SESSignature(bytes: fixture.signedValue())
        let checks = SealVerifier.verify(signature: signature, signedData: .content(try fixture.signatureXML()))
        for name in [SealCheckName.sealFormat, SealCheckName.signatureValue, SealCheckName.sealMakerSignature,
            SealCheckName.dataHash, SealCheckName.signerInSealCertList]
        {
            #expect(checks.named(name)?.status == .passed, "\(name): \(checks.named(name)?.reason ?? "missing")")
        }
        let report = SignatureReport(id: fixture.folder, format: "ofd.seal", checks: checks)
        #expect(report.integrity.indication == .passed)
        #expect(report.verdict.indication == .indeterminate)
        #expect(checks.named(SealCheckName.signerCertificateChain)?.status == .indeterminate)
        #expect(checks.named(SealCheckName.timestamp)?.status == .skipped)
    }

    @Test func corpusDataHashAgainstAnotherSignatureXMLFails() throws {
        let first = SealFixtures.sealSignatures[3], second = SealFixtures.sealSignatures[4]
        let signature = try SESSignature(bytes: first.signedValue())
        let checks = SealVerifier.verify(signature: signature, signedData: .content(try second.signatureXML()))
        #expect(checks.named(SealCheckName.dataHash)?.subIndication == .hashFailure)
        #expect(checks.named(SealCheckName.signatureValue)?.status == .passed)
    }

    @Test(arguments: ["ofdrw/UserV4.esl", "ofdrw/UserV1.esl"])
    func corpusSealMakerSignatureVerifies(_ path: String) throws {
        let seal = try SESeal(bytes: SealFixtures.bytes(path))
        let inValidity = SealVerifier.verify(seal: seal, at: ISO8601DateFormatter().date(from: "2021-06-01T00:00:00Z")!)
        #expect(inValidity.named(SealCheckName.sealMakerSignature)?.status == .passed)
        #expect(inValidity.named(SealCheckName.sealValidity)?.status == .passed)
        #expect(inValidity.named(SealCheckName.sealFormat)?.status == .passed)
        let today = SealVerifier.verify(seal: seal, at: Date())
        #expect(today.named(SealCheckName.sealValidity)?.subIndication == .sigConstraintsFailure)
    }

    @Test func suwellSignatureNeedsItsQuirksUndone() throws {
        let fixture = SealFixtures.sealSignatures[5]
        let signature = try SESSignature(bytes: fixture.signedValue())
        let checks = SealVerifier.verify(signature: signature, signedData: .content(try fixture.signatureXML()))
        #expect(checks.named(SealCheckName.signatureValue)?.reason?.contains("raw r‖s") == true)
        #expect(checks.named(SealCheckName.sealMakerSignature)?.reason?.contains("raw r‖s") == true)
        // Claimed signing time 2022-02-21 14:25:31 (no zone → UTC+8) lies inside the seal's validity.
        #expect(checks.named(SealCheckName.sealValidityAtSigning)?.status == .passed)
    }
}
