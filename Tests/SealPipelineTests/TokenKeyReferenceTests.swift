import Foundation
import SealCrypto
@testable import SealPipeline
import SealPKCS11
import SealQueue
import SealWorker
import Testing

/// `pkcs11:` key references in the registry's KeyReference, and the retry decision for a token that went away.
@Suite struct TokenKeyReferenceTests {
    let text = "pkcs11:token=bureau;object=seal-2026;id=%01;type=private"
        + "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/secrets/pin"

    @Test func aPKCS11ReferenceRoundTripsAsTheRegistryStoresIt() throws {
        let reference = try #require(KeyReference(text))
        #expect(reference.kind == .pkcs11)
        #expect(reference.description == text)
        #expect(KeyReference(reference.description) == reference)
        let coded = try JSONDecoder().decode(KeyReference.self, from: JSONEncoder().encode(reference))
        #expect(coded == reference)
        #expect(reference.pkcs11URI?.object == "seal-2026")
        #expect(reference.pkcs11URI?.id == [0x01])
        // Existing kinds are untouched.
        #expect(KeyReference("pkcs12:/x.p12?password-env=V")?.kind == .pkcs12)
    }

    @Test func aReferenceWithAPINIsNoReference() {
        let withPIN = "pkcs11:token=bureau;object=k?module-path=/m.so&pin-value=246810"
        #expect(KeyReference(withPIN) == nil)
        let problem = KeyReference.pkcs11Problem(withPIN) ?? ""
        #expect(problem.contains("pin-source"))
        #expect(!problem.contains("246810"))
        #expect(KeyReference.pkcs11Problem("file:/k.pem?cert=/c.pem") == nil)
    }

    @Test func aTokenThatWentAwayIsRetriedAndAWrongPINIsNot() {
        let gone = StampFailure.failure(CryptoError(.keyUnavailable, "the token failed while signing (CKR_DEVICE_REMOVED)"))
        #expect(gone.code == .keyUnavailable)
        #expect(FailureDecision.decide(gone.code, attempt: 1, maxAttempts: 5, unit: 0) != .discard)
        let refused = StampFailure.failure(CryptoError(.signingFailed, "the token refused signing"))
        #expect(refused.code == .signingFailed)
        #expect(FailureDecision.isPermanent(.sealRefused))  // where a refused PIN goes: never retried
    }
}
