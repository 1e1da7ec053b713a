@testable import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import Testing

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
