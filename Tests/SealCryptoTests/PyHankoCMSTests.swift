import Foundation
import SealCrypto
import Testing

/// CMS written by pyHanko (RSA, signed attributes, signature time-stamps, a PAdES document time-stamp) read and
/// verified by SealCrypto; see Fixtures/README.md.
@Suite struct PyHankoCMSTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let base = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return [UInt8](try Data(contentsOf: base.appendingPathComponent("pyhanko").appendingPathComponent(name)))
    }

    @Test(arguments: ["pyhanko-signed-twice-0", "pyhanko-signed-twice-1", "pyhanko-pades-lta-dss-0"])
    func signaturesAreIntact(name: String) throws {
        let signedData = try CMSSignedData(der: try Self.fixture("\(name).p7s"))
        let digest = try Self.fixture("\(name).sha256")
        let verification = signedData.verify(contentDigest: digest)
        #expect(verification.isIntact, "\(verification.failures)")
        #expect(verification.isValid, "\(verification.failures)")
        #expect(verification.signerCertificate != nil)
        var wrong = digest
        wrong[0] ^= 1
        #expect(signedData.verify(contentDigest: wrong).failures.contains(.digestMismatch))
        if name.contains("twice") { #expect(verification.timeStamp != nil, "pyHanko added a signature time-stamp") }
        if let stamp = verification.timeStamp {
            #expect(stamp.isValid, "\(stamp.failures)")
            #expect(stamp.tsaCertificate?.allowsTimeStamping == true)
        }
    }

    @Test func documentTimeStampVerifies() throws {
        let token = try Self.fixture("pyhanko-pades-lta-dss-1.p7s")
        let digest = try Self.fixture("pyhanko-pades-lta-dss-1.sha256")
        let verification = TimeStampVerification.verify(tokenDER: token, digest: digest, algorithm: .sha256)
        #expect(verification.isValid, "\(verification.failures)")
        #expect(verification.genTime != nil)
        var wrong = digest
        wrong[5] ^= 1
        #expect(TimeStampVerification.verify(tokenDER: token, digest: wrong, algorithm: .sha256).failures == [.imprintMismatch])
    }
}
