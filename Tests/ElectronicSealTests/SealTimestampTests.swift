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

/// GM/T 0031-2025 (v5) seals: v4 layout, header version 5, optional `[0] timeStamp` over the maker signature.
@Suite struct SealV5Tests {
    typealias Q = QuirkToleranceTests

    static func v5Seal(tokenTime: Date?) throws -> SESeal {
        var parts = Q.SealParts()
        parts.header = Q.seq(Q.ia5("ES"), Q.int(5), Q.ia5("V5Vendor"))
        let pki = TestSeals.pki
        let info = parts.sealInfo(signer: pki.sm2Signer.certificate)
        let value = try pki.sealMaker.signer().sign(info)
        var body = info + Q.octets(pki.sealMaker.certificate.der) + Q.sm2OID + Q.bits(value)
        if let tokenTime {
            let token = try SealTimestampTests.authority(at: tokenTime)
                .timeStampToken(digest: Digest.hash(.sm3, value), algorithm: .sm3)
            body += Q.tlv(0xA0, Q.bits(token))
        }
        return try SESeal(bytes: Q.tlv(0x30, body))
    }

    @Test func v5SealWithTimestampParsesAndVerifies() throws {
        let seal = try Self.v5Seal(tokenTime: TestSeals.now)
        #expect(seal.version == .v5 && seal.timeStamp != nil)
        #expect(try seal.serializedBytes() == Array(seal.derEncoded))
        let checks = SealVerifier.verify(seal: seal, at: TestSeals.now, trust: TestSeals.pki.trustStore)
        #expect(checks.named(SealCheckName.sealMakerSignature)?.status == .passed)
        #expect(checks.named(SealCheckName.sealTimestamp)?.status == .passed)
        #expect(checks.named(SealCheckName.sealFormat)?.status == .passed)
    }

    @Test func v5SealWithoutTimestampIsReadByHeaderVersion() throws {
        let seal = try Self.v5Seal(tokenTime: nil)
        #expect(seal.version == .v5 && seal.timeStamp == nil)
        #expect(SealVerifier.verify(seal: seal, at: TestSeals.now).named(SealCheckName.sealTimestamp) == nil)
    }

    @Test func v5SealTimestampBeforeCreationFails() throws {
        // SealParts creates the seal on 2020-01-01; a token from 2019 cannot be over it.
        let seal = try Self.v5Seal(tokenTime: ISO8601DateFormatter().date(from: "2019-06-01T00:00:00Z")!)
        let check = SealVerifier.verify(seal: seal, at: TestSeals.now, trust: TestSeals.pki.trustStore)
            .named(SealCheckName.sealTimestamp)
        #expect(check?.status == .failed && check?.subIndication == .sigConstraintsFailure)
    }
}
