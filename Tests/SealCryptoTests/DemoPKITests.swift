import Foundation
import SealCrypto
import SealTestSupport
import Testing

@Suite struct DemoPKITests {
    @Test func demoPKIIsConsistentAndWritesReloadableFiles() throws {
        let pki = TestPKI.shared
        let store = pki.trustStore
        for (name, identity) in pki.namedIdentities {
            #expect(identity.certificate.publicKey == identity.key.publicKey, "\(name)")
            #expect(store.validate(identity.certificate, at: Date()).isValid, "\(name)")
        }
        #expect(pki.sealMaker.certificate.isSM2 && pki.sm2Signer.certificate.isSM2 && pki.sm2TSA.certificate.isSM2)
        #expect(pki.rsaSigner.key.algorithm == .rsa(bits: 2048))
        #expect(pki.ecdsaSigner.key.algorithm == .ecdsaP256)
        #expect(pki.tsa.certificate.allowsTimeStamping && pki.sm2TSA.certificate.allowsTimeStamping)

        let directory = try TestEnvironment.temporaryDirectory("demo-pki")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try pki.write(to: directory, keyPassword: "演示")
        #expect(files.contains("README.txt") && files.contains("roots.pem") && files.contains("seal-maker.key.pem"))
        let keyPEM = try String(contentsOf: directory.appendingPathComponent("sm2-signer.key.pem"), encoding: .utf8)
        #expect(keyPEM.contains("ENCRYPTED PRIVATE KEY"))
        let key = try PrivateKey(pem: keyPEM, password: "演示")
        #expect(key.publicKey == pki.sm2Signer.key.publicKey)
        let roots = try Certificate.certificates(
            pem: try String(contentsOf: directory.appendingPathComponent("roots.pem"), encoding: .utf8))
        #expect(roots == [pki.sm2Root.certificate, pki.rsaRoot.certificate])
        let crl = try CertificateRevocationList(
            pem: try String(contentsOf: directory.appendingPathComponent("sm2-root.crl.pem"), encoding: .utf8))
        #expect(crl.entries.isEmpty && crl.isSignatureValid(issuerKey: pki.sm2Root.certificate.publicKey))
        let bundle = try PKCS12Bundle(
            der: [UInt8](try Data(contentsOf: directory.appendingPathComponent("seal-maker.p12"))), password: "演示")
        #expect(bundle.certificate == pki.sealMaker.certificate)
        #expect(bundle.chain == [pki.sm2Root.certificate])
        #expect(bundle.privateKey.publicKey == pki.sealMaker.key.publicKey)
    }
}
