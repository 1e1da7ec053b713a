import Foundation
import SealCrypto
import SealPipeline
import SealTestSupport
import Testing

@Suite struct KeyResolverTests {
    @Test func resolvesPKCS12WithThePasswordFromTheNamedVariable() throws {
        let pki = try DemoPKI.make()
        let folder = try TestEnvironment.temporaryDirectory("keyref")
        defer { try? FileManager.default.removeItem(at: folder) }
        let p12 = folder.appendingPathComponent("seal.p12")
        try Data(try PKCS12Bundle.export(
            key: pki.sm2Signer.key, certificate: pki.sm2Signer.certificate, password: "s3cret")).write(to: p12)
        let reference = try #require(KeyReference("pkcs12:\(p12.path)?password-env=SEAL_P12_PW"))
        let signer = try KeyResolver.signer(for: reference, environment: ["SEAL_P12_PW": "s3cret"])
        #expect(signer.certificate == pki.sm2Signer.certificate)
        let message = Array("payload".utf8)
        #expect(pki.sm2Signer.certificate.publicKey.verify(
            signature: try signer.sign(message), for: message, algorithm: signer.algorithm))
        // Missing variable and wrong password are reported, without the password.
        #expect(throws: KeyResolutionError.self) { try KeyResolver.signer(for: reference, environment: [:]) }
        do {
            _ = try KeyResolver.signer(for: reference, environment: ["SEAL_P12_PW": "wrong-guess"])
            Issue.record("a wrong password opened the bundle")
        } catch {
            #expect(!error.description.contains("wrong-guess"))
        }
    }

    @Test func aFileKeyNeedsItsOwnCertificate() throws {
        let pki = try DemoPKI.make()
        let folder = try TestEnvironment.temporaryDirectory("keyref")
        defer { try? FileManager.default.removeItem(at: folder) }
        try pki.write(to: folder)
        let good = try #require(KeyReference("file:\(folder.path)/sm2-signer.key.pem?cert=\(folder.path)/sm2-signer.cert.pem"))
        #expect(try KeyResolver.signer(for: good).certificate == pki.sm2Signer.certificate)
        let mismatched = try #require(KeyReference("file:\(folder.path)/sm2-signer.key.pem?cert=\(folder.path)/rsa-signer.cert.pem"))
        #expect(throws: KeyResolutionError("", code: .keyNotInCertificate)) { try KeyResolver.signer(for: mismatched) }
        let missing = try #require(KeyReference("file:\(folder.path)/nope.pem?cert=\(folder.path)/sm2-signer.cert.pem"))
        #expect(throws: KeyResolutionError("", code: .unavailable)) { try KeyResolver.signer(for: missing) }
        #expect(KeyReference("file:/k.pem") == nil)  // a file key needs cert=
        #expect(KeyReference("pkcs12:/x.p12?password-env=V")?.description == "pkcs12:/x.p12?password-env=V")
    }

    /// A signing-service reference is kept verbatim (its own parser checks it when resolved); a service that is
    /// not there is `unavailable` (the stamp job retries).
    @Test func remoteReferencesRoundTripAndAnUnreachableServiceIsRetried() throws {
        let text = "sealpress+https://127.0.0.1:1/keys/seal-sm2?client-cert=/c.pem&client-key=/k.pem&ca=/ca.pem&timeout=1"
        let reference = try #require(KeyReference(text))
        #expect(reference.kind == .remote)
        #expect(reference.description == text)
        #expect(KeyReference("sealpress+https:nohost") == nil)
        #expect(throws: KeyResolutionError("", code: .unavailable)) { try KeyResolver.signer(for: reference, environment: [:]) }
    }
}
