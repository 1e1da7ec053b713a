import Foundation
import SealCrypto
import Testing

/// `Certificate.cached` and the remembered issuer signatures: shared work must never turn a bad signature good.
@Suite struct CertificateCacheTests {
    @Test func sameBytesGiveOneParsedCertificateAndOtherBytesAnother() throws {
        let pki = TestPKI.shared
        let der = pki.sm2Signer.certificate.der
        let first = try Certificate.cached(der: der)
        let second = try Certificate.cached(der: der[...])
        #expect(first === second)
        let other = try Certificate.cached(der: pki.sealMaker.certificate.der)
        #expect(other !== first)
        #expect(throws: CryptoError.self) { try Certificate.cached(der: Array(der.dropLast())) }
    }

    @Test func aVerifiedIssuerIsRememberedButAWrongIssuerNeverPasses() throws {
        let pki = TestPKI.shared
        // A private instance, so other tests' calls do not decide what it remembers.
        let leaf = try Certificate(der: pki.sm2Signer.certificate.der)
        let wrongKey = pki.sm2Signer.key.publicKey  // SM2 too, but not the issuer's key
        #expect(!leaf.isSignatureValid(issuerKey: wrongKey))
        #expect(leaf.isSignatureValid(issuerKey: pki.sm2Root.certificate.publicKey))
        // Remembered for the root's key only: the wrong key still fails, and so does another SM2 ID.
        #expect(leaf.isSignatureValid(issuerKey: pki.sm2Root.certificate.publicKey))
        #expect(!leaf.isSignatureValid(issuerKey: wrongKey))
        #expect(!leaf.isSignatureValid(issuerKey: pki.sm2Root.certificate.publicKey, sm2ID: Array("other-id".utf8)))
    }
}
