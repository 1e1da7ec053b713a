import Foundation
import SealReport
import Testing
@testable import SealOFD

/// Every signed file of the corpus verifies as its SOURCES.txt entry says.
@Suite struct CorpusVerificationTests {
    static let validSealDocuments = [
        "SESV4SignDoc.ofd", "allprotected.ofd", "bank_receipt_1.ofd", "gen_v1_seal.ofd", "gen_v4_then_v4_whole.ofd",
    ]

    @Test(arguments: validSealDocuments)
    func sealSignaturesAreIntact(name: String) throws {
        let report = OFDVerifier.verify(try Fixture.bytes(name))
        #expect(!report.signatures.isEmpty)
        for signature in report.signatures {
            let failed = signature.checks.filter { $0.category == .integrity && $0.indication != .passed }
            #expect(failed.isEmpty, "\(name) \(signature.id): \(failed)")
            #expect(signature.format == "ofd.seal")
            #expect(signature.checks.contains { $0.name == "signatureValue" && $0.status == .passed })
            #expect(signature.checks.contains { $0.name == "dataHash" && $0.status == .passed })
            #expect(signature.checks.contains { $0.name == "referenceDigest" && $0.status == .passed })
        }
        #expect(report.integrity.indication == .passed, "\(name): \(report.integrity.reasons)")
        for signature in report.signatures {
            #expect(signature.checks.contains { $0.name == "sealMakerSignature" && $0.status == .passed }, "\(name)")
            #expect(signature.checks.contains { $0.name == "signerInSeal" && $0.status == .passed }, "\(name)")
            #expect(signature.checks.contains { $0.name == "sealValidity" && $0.indication != .failed }, "\(name)")
        }
        // No trust anchors given: intact but not provable.
        #expect(report.verdict.indication == .indeterminate, "\(name)")
        #expect(report.trust.subIndication == .noCertificateChainFound || report.trust.subIndication == .outOfBoundsNoPOE)
    }

    @Test func unsignedDocumentsAreReportedAsUnsigned() throws {
        for name in ["helloworld.ofd", "path_unstd.ofd"] {
            let report = OFDVerifier.verify(try Fixture.bytes(name))
            #expect(report.signatures.isEmpty)
            #expect(report.verdict.indication == .indeterminate)
            #expect(report.verdict.subIndication == .signedDataNotFound)
        }
    }
}
