import ElectronicSeal
import Foundation
import SealCrypto
import SealOFD
import SealPipeline
import SealReport
import SealTestSupport
import Testing

/// OFD seals whose signer certificate comes from a local CA with an OCSP responder and a CRL on loopback,
/// verified the way jobs and `sealpress verify` do (`DocumentVerification`, fetching over HTTP): revoked before
/// the signing time → FAILED `REVOKED` (by OCSP and by CRL); good → PASSED. (The responder down is the PDF tests'
/// case: the worker's shared checker remembers a failed URL for a minute.)
@Suite(.serialized, .peer("openssl and python3") {
    TestEnvironment.executable("openssl") != nil && TestEnvironment.executable("python3") != nil
})
struct OFDRevocationTests {
    static func sealed(_ issued: RevocationTestPKI.Issued, pki: RevocationTestPKI, maker: DemoPKI.Identity) throws -> [UInt8] {
        let now = Date()
        var builder = SealBuilder(
            name: "SealPress 吊销测试章", type: 1, esID: "SP-REVOCATION-\(issued.serial)",
            picture: SESPictureInfo(type: "PNG", data: Array(try Data(contentsOf: try PipelineWorld.fixture("seal-400.png"))),
                                    widthMM: 40, heightMM: 40),
            signerCertificates: [issued.certificate.der], validStart: now.addingTimeInterval(-86_400),
            validEnd: now.addingTimeInterval(365 * 86_400))
        builder.createDate = now.addingTimeInterval(-86_400)
        let seal = Array(try builder.build(maker: maker.signer()).derEncoded)
        return try OFDStamper.stamp(
            try SampleDocuments.ofd(pages: 1),
            request: OFDStampRequest(
                seal: seal, signer: try issued.signer(chain: [pki.root]),
                placements: [OFDStampPlacement(page: .number(1), xMM: 100, yMM: 200)]))
    }

    @Test func revokedAndGoodSealSigners() throws {
        let demo = try DemoPKI.make()
        let pki = try RevocationTestPKI()
        let good = try pki.issue("ofd-good", sm2: true)
        let revoked = try pki.issue("ofd-revoked", sm2: true)
        let crlRevoked = try pki.issue("ofd-crl-revoked", ocsp: false, sm2: true)
        let goodFile = try Self.sealed(good, pki: pki, maker: demo.sealMaker)
        let revokedFile = try Self.sealed(revoked, pki: pki, maker: demo.sealMaker)
        let crlRevokedFile = try Self.sealed(crlRevoked, pki: pki, maker: demo.sealMaker)
        // Revoked before the signing time would have to be in the past: the files are signed now, so the CA
        // records the revocation a minute before (the key was compromised, the signature made after).
        pki.revoke(revoked, at: Date().addingTimeInterval(-60))
        pki.revoke(crlRevoked, at: Date().addingTimeInterval(-60))
        try pki.publish()
        let trust = TrustStore(roots: [pki.root] + demo.trustStore.roots)

        try pki.start()
        defer { pki.stop() }
        let passed = DocumentVerification.verify(goodFile, format: .ofd, trust: trust, revocation: .soft)
        #expect(passed.verdict.indication == .passed, "\(passed.verdict.reasons)")
        let signerCheck = passed.signatures.first?.checks.first { $0.name.hasPrefix("signerRevocation") }
        #expect(signerCheck?.status == .passed, "\(passed.signatures.map(\.checks))")
        #expect(signerCheck?.reason?.contains("OCSP \(pki.ocspURL)") == true, "\(String(describing: signerCheck))")

        for (name, file) in [("OCSP", revokedFile), ("CRL", crlRevokedFile)] {
            let report = DocumentVerification.verify(file, format: .ofd, trust: trust, revocation: .soft)
            #expect(report.verdict.indication == .failed, "\(name): \(report.verdict.reasons)")
            #expect(report.verdict.subIndication == .revoked, "\(name): \(report.signatures.map(\.checks))")
        }
        // Without revocation checking the revoked seal signer passes: the check above is what caught it.
        #expect(DocumentVerification.verify(revokedFile, format: .ofd, trust: trust).verdict.indication == .passed)
    }
}
