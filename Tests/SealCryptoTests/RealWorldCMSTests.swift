import Foundation
import SealCrypto
import Testing

/// Real GB/T 35275 SignedData written by other signers (see Fixtures/README.md).
@Suite struct RealWorldCMSTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let base = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return [UInt8](try Data(contentsOf: base.appendingPathComponent("gbt35275").appendingPathComponent(name)))
    }

    @Test(arguments: ["railway-ticket", "ofdrw-pkcs9"])
    func vendorSignedDataVerifies(name: String) throws {
        let signedData = try CMSSignedData(der: try Self.fixture("\(name).SignedValue.dat"))
        let content = try Self.fixture("\(name).Signature.xml")
        #expect(signedData.oidStyle == .gmt0010)
        #expect(signedData.digestAlgorithms == [.sm3])
        let info = try #require(signedData.signerInfos.first)
        #expect(info.signatureAlgorithm == .sm2WithSM3)
        let certificate = try #require(signedData.certificate(for: info))
        #expect(certificate.isSM2)
        let verification = signedData.verify(content: content)
        #expect(verification.isIntact, "\(verification.failures)")
        #expect(verification.isValid, "\(verification.failures)")
        #expect(verification.signingTime != nil)
        // One changed byte in Signature.xml breaks it.
        var tampered = content
        tampered[tampered.count / 2] ^= 0x01
        #expect(signedData.verify(content: tampered).failures.contains(.digestMismatch))
        // Their certificate is self-issued by a test CA we do not trust: integrity holds, trust fails.
        let untrusted = signedData.verify(content: content, trust: TrustStore(roots: []), at: certificate.notBefore.addingTimeInterval(60))
        #expect(untrusted.isIntact && !untrusted.isValid)
    }

    @Test func railwayCertificateFields() throws {
        let signedData = try CMSSignedData(der: try Self.fixture("railway-ticket.SignedValue.dat"))
        let info = try #require(signedData.signerInfos.first)
        #expect("\(info.signatureAlgorithmOID)" == "1.2.156.10197.1.301.1")
        let certificate = try #require(signedData.certificate(for: info))
        #expect(certificate.serialNumberHex == "2022031000751895")
        #expect(certificate.signatureAlgorithm == .sm2WithSM3)
        #expect(certificate.subject.contains("CN="))
        #expect(certificate.notAfter > certificate.notBefore)
    }
}
