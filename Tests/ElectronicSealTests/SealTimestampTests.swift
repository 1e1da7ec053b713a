@testable import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import Testing

@Suite struct SealTimestampTests {
    static func authority(at time: Date) throws -> LocalTimeStampAuthority {
        try LocalTimeStampAuthority(signer: TestSeals.pki.sm2TSA.signer(), clock: { time })
    }

    static func stamped(tsaTime: Date, claimed: Date = TestSeals.now) throws -> SESSignature {
        var builder = SealSignatureBuilder(
            seal: try TestSeals.seal(), dataHash: Digest.hash(.sm3, TestSeals.signatureXML),
            propertyInfo: "/Doc_0/Signs/Sign_0/Signature.xml")
        builder.signingTime = claimed
        builder.skipPolicyChecks = true
        return try builder.build(signer: TestSeals.pki.sm2Signer.signer(), timeStamper: authority(at: tsaTime))
    }

    @Test func timestampedSignatureVerifiesAndRoundTrips() throws {
        let signature = try Self.stamped(tsaTime: TestSeals.now)
        #expect(signature.timeStamp != nil)
        #expect(try signature.serializedBytes() == Array(signature.derEncoded))
        let report = SealVerifier.report(
            id: "s001", format: "ofd.seal", signature: signature, signedData: .content(TestSeals.signatureXML),
            trust: TestSeals.pki.trustStore)
        #expect(report.checks.named(SealCheckName.timestamp)?.status == .passed)
        #expect(report.timestamped)
        #expect(report.verdict.indication == .passed, "\(report.verdict.reasons)")
        #expect(report.sealName == "某某市市场监督管理局合同专用章")
    }

    @Test func timestampWithoutTrustIsIndeterminate() throws {
        let signature = try Self.stamped(tsaTime: TestSeals.now)
        let checks = SealVerifier.verify(signature: signature, signedData: .content(TestSeals.signatureXML))
        #expect(checks.named(SealCheckName.timestamp)?.subIndication == .noCertificateChainFound)
    }

    @Test func provenLateSigningFailsTheSealValidity() throws {
        // The claimed time is inside the seal's validity, the timestamp proves it was after its end.
        let late = TestSeals.now.addingTimeInterval(500 * 86_400)
        let signature = try Self.stamped(tsaTime: late)
        let checks = SealVerifier.verify(
            signature: signature, signedData: .content(TestSeals.signatureXML), trust: TestSeals.pki.trustStore)
        let validity = checks.named(SealCheckName.sealValidityAtSigning)
        #expect(validity?.status == .failed && validity?.subIndication == .sigConstraintsFailure)
    }

    @Test func tokenOverAnotherValueFailsTheImprint() throws {
        let signature = try Self.stamped(tsaTime: TestSeals.now)
        let other = try Self.stamped(tsaTime: TestSeals.now)
        // Graft the other signature's token onto this one.
        var body = Array(signature.signedContent)
        body += QuirkToleranceTests.octets(Array(signature.signerCertificate)) + QuirkToleranceTests.sm2OID
        body += QuirkToleranceTests.bits(Array(signature.signature.bytes))
        body += QuirkToleranceTests.tlv(0xA0, QuirkToleranceTests.bits(Array(other.timeStamp!)))
        let grafted = try SESSignature(bytes: QuirkToleranceTests.tlv(0x30, body))
        let checks = SealVerifier.verify(
            signature: grafted, signedData: .content(TestSeals.signatureXML), trust: TestSeals.pki.trustStore)
        #expect(checks.named(SealCheckName.timestamp)?.subIndication == .hashFailure)
    }

    @Test func v1SignaturesRefuseATimestamper() throws {
        let builder = SealSignatureBuilder(
            seal: try TestSeals.seal(version: .v1), dataHash: Digest.hash(.sm3, TestSeals.signatureXML),
            propertyInfo: "/Doc_0/Signs/Sign_0/Signature.xml")
        #expect(throws: ElectronicSealError(.invalidParameter, "")) {
            try builder.build(signer: TestSeals.pki.sm2Signer.signer(), timeStamper: Self.authority(at: TestSeals.now))
        }
    }
}
