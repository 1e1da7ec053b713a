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
            #expect(!signature.checks.contains { $0.name == "stampAnnotation" }, "\(name): the seal appears on a listed page")
        }
        #expect(report.integrity.indication == .passed, "\(name): \(report.integrity.reasons)")
        for signature in report.signatures {
            #expect(signature.checks.contains { $0.name == "sealMakerSignature" && $0.status == .passed }, "\(name)")
            #expect(signature.checks.contains { $0.name == "signerInSealCertList" && $0.status == .passed }, "\(name)")
            #expect(signature.checks.contains { $0.name == "sealValidityAtSigning" && $0.indication != .failed }, "\(name)")
        }
        // No trust anchors given: intact but not provable.
        #expect(report.verdict.indication == .indeterminate, "\(name)")
        #expect(report.trust.subIndication == .noCertificateChainFound || report.trust.subIndication == .outOfBoundsNoPOE)
    }

    @Test(arguments: ["售票换开样例.ofd", "gen_pkcs9_sign.ofd"])
    func signTypeSignaturesAreIntact(name: String) throws {
        let report = OFDVerifier.verify(try Fixture.bytes(name))
        #expect(report.signatures.count == 1)
        let signature = try #require(report.signatures.first)
        #expect(signature.format == "ofd.sign")
        #expect(signature.checks.contains { $0.name == "dataHash" && $0.status == .passed })
        #expect(signature.checks.contains { $0.name == "signatureValue" && $0.status == .passed })
        #expect(report.integrity.indication == .passed, "\(name): \(report.integrity.reasons)")
        #expect(signature.signer != nil)
        #expect(report.verdict.indication == .indeterminate)
    }

    @Test func theSuwellReceiptsQuirksAreTolerated() throws {
        // Raw 64-byte r||s signature values and a BIT STRING with unused bits and trimmed zero octets.
        let report = OFDVerifier.verify(try Fixture.bytes("bank_receipt_1.ofd"))
        let signature = try #require(report.signatures.first)
        #expect(signature.checks.contains { $0.name == "signatureValue" && $0.status == .passed })
        #expect(signature.checks.contains { $0.name == "sealMakerSignature" && $0.status == .passed })
        // Suwell leaves OFD.xml out of References: reported, not failed.
        let coverage = try #require(report.documentChecks.first { $0.name == "coverage" })
        #expect(coverage.status == .warning)
        #expect(coverage.reason?.contains("/OFD.xml") == true)
    }

    @Test func aWholeProtectedSecondSignatureCoversTheList() throws {
        let report = OFDVerifier.verify(try Fixture.bytes("gen_v4_then_v4_whole.ofd"))
        #expect(report.signatures.count == 2)
        #expect(report.integrity.indication == .passed)
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
