import Dispatch
import Foundation
import SealCrypto
@testable import SealPKCS11
import SealTestSupport
import Synchronization
import Testing

/// One SoftHSM2 token for the in-process tests: a module reads SOFTHSM2_CONF once per process (at
/// C_Initialize), so every in-process test shares this token; tests that break sessions load a copy of the
/// module (its own instance) so they break nobody else's.
final class SharedToken: Sendable {
    static let shared: Result<SharedToken, SoftHSMError> = {
        do {
            let world = try SharedToken()
            atexit { if case .success(let world) = SharedToken.shared { world.token.remove() } }
            return .success(world)
        } catch {
            return .failure(SoftHSMError("\(error)"))
        }
    }()

    let token: SoftHSMToken
    let pki: DemoPKI
    let folder: URL

    private init() throws {
        token = try SoftHSMToken(label: "pkcs11-tests")
        setenv("SOFTHSM2_CONF", token.configPath, 1)
        pki = try DemoPKI.make()
        folder = token.directory.appendingPathComponent("pki")
        try pki.write(to: folder)
        let folder = folder
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try token.importKey(
            keyPEM: path("rsa-signer.key.pem"), certificatePEM: path("rsa-signer.cert.pem"), object: "rsa-signer", idHex: "01")
        try token.importKey(
            keyPEM: path("ecdsa-signer.key.pem"), certificatePEM: path("ecdsa-signer.cert.pem"), object: "ecdsa-signer",
            idHex: "02")
        // A key without its certificate on the token (the root's key: a certificate comes with cert-path=).
        try token.importKey(keyPEM: path("rsa-root.key.pem"), certificatePEM: nil, object: "bare", idHex: "03")
        // A token only the wrong-PIN test logs in to (a refused login writes the token's flags).
        let pinToken = try token.sibling(label: "pkcs11-pin-test")
        self.pinToken = pinToken
        try pinToken.importKey(
            keyPEM: path("rsa-signer.key.pem"), certificatePEM: path("rsa-signer.cert.pem"), object: "rsa-signer", idHex: "01")
        // The shared module scans the tokens now, before any test loads a private copy of it.
        _ = try PKCS11Keys.signer(for: try PKCS11URI(token.uri(object: "rsa-signer", idHex: "01")))
    }

    let pinToken: SoftHSMToken

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A private copy of the SoftHSM module: dlopen loads it as a separate instance (own sessions, own login
    /// state), so a test can close or finalise it without touching the other tests' module. (Instances share
    /// the token files like two processes do: keep writes — refused logins — off the tokens others use.)
    func moduleCopy() throws -> String {
        guard let module = SoftHSMToken.modulePath else { throw SoftHSMError("SoftHSM2 is not installed") }
        let copy = token.directory.appendingPathComponent("libsofthsm2-\(UUID().uuidString.prefix(6)).so")
        try FileManager.default.copyItem(
            atPath: URL(fileURLWithPath: module).resolvingSymlinksInPath().path, toPath: copy.path)
        return copy.path
    }

    static func require() throws -> SharedToken { try shared.get() }
}

@Suite struct PKCS11SignerTests {
    let message = Array("签章 payload for the token".utf8)

    @Test(.softHSM) func rsaAndECDSAKeysInTheTokenSignWhatTheirCertificatesVerify() throws {
        let world = try SharedToken.require()
        let cases: [(String, String, Certificate, SignatureAlgorithm, String)] = [
            ("rsa-signer", "01", world.pki.rsaSigner.certificate, .rsaPKCS1SHA256, ""),
            ("rsa-signer", "01", world.pki.rsaSigner.certificate, .rsaPSSSHA256, "&signature=rsaPSSSHA256"),
            ("rsa-signer", "01", world.pki.rsaSigner.certificate, .rsaPKCS1SHA512, "&signature=rsaPKCS1SHA512"),
            ("ecdsa-signer", "02", world.pki.ecdsaSigner.certificate, .ecdsaWithSHA256, ""),
            ("ecdsa-signer", "02", world.pki.ecdsaSigner.certificate, .ecdsaWithSHA384, "&signature=ecdsaWithSHA384"),
        ]
        for (object, id, certificate, algorithm, extra) in cases {
            let uri = try PKCS11URI(world.token.uri(object: object, idHex: id, extra: extra))
            let signer = try PKCS11Keys.signer(for: uri)
            #expect(signer.certificate == certificate, "\(object) \(algorithm)")  // read from the token
            #expect(signer.algorithm == algorithm)
            #expect(signer.publicKey == certificate.publicKey)
            let signature = try signer.sign(message)
            #expect(certificate.publicKey.verify(signature: signature, for: message, algorithm: algorithm), "\(algorithm)")
            if algorithm.fits(.ecdsaP256) { #expect(signature.first == 0x30) }  // raw r||s became DER
            // Resolved once per process: the same pool, no second login.
            #expect(try PKCS11Keys.signer(for: uri).pool === signer.pool)
        }
    }

    /// As a DigestSigner (what `keys serve` uses): CKM_RSA_PKCS over our DigestInfo, CKM_RSA_PKCS_PSS, CKM_ECDSA —
    /// each signature verifies over the message whose digest was signed; SM2, wrong lengths and wrong keys are refused.
    @Test(.softHSM) func tokenKeysSignDigestsComputedElsewhere() throws {
        let world = try SharedToken.require()
        let rsa = try PKCS11Keys.signer(for: try PKCS11URI(world.token.uri(object: "rsa-signer", idHex: "01")))
        let ecdsa = try PKCS11Keys.signer(for: try PKCS11URI(world.token.uri(object: "ecdsa-signer", idHex: "02")))
        let cases: [(PKCS11Signer, SignatureAlgorithm)] = [
            (rsa, .rsaPKCS1SHA256), (rsa, .rsaPKCS1SHA384), (rsa, .rsaPKCS1SHA512), (rsa, .rsaPSSSHA256),
            (ecdsa, .ecdsaWithSHA256), (ecdsa, .ecdsaWithSHA384), (ecdsa, .ecdsaWithSHA512),
        ]
        for (signer, algorithm) in cases {
            let digest = Digest.hash(algorithm.digest, message)
            let signature = try signer.signDigest(digest, algorithm: algorithm)
            let key = try #require(signer.publicKey)
            #expect(key.verify(signature: signature, for: message, algorithm: algorithm), "\(algorithm)")
            #expect(!key.verify(signature: signature, for: message + [0], algorithm: algorithm), "\(algorithm)")
        }
        // PKCS#1 v1.5 is deterministic: the digest path gives the very bytes the token's hashing mechanism gives.
        #expect(try rsa.signDigest(Digest.hash(.sha256, message), algorithm: .rsaPKCS1SHA256) == (try rsa.sign(message)))

        func code(_ body: () throws -> [UInt8]) -> CryptoError.Code? {
            do {
                _ = try body()
                return nil
            } catch let error as CryptoError {
                return error.code
            } catch {
                return nil
            }
        }
        #expect(code { try rsa.signDigest([1, 2, 3], algorithm: .rsaPKCS1SHA256) } == .invalidArgument)
        #expect(code { try ecdsa.signDigest(Digest.hash(.sm3, message), algorithm: .sm2WithSM3) } == .unsupportedAlgorithm)
        #expect(code { try rsa.signDigest(Digest.hash(.sha256, message), algorithm: .ecdsaWithSHA256) } == .unsupportedAlgorithm)
        #expect(code { try rsa.signDigest(Digest.hash(.sha1, message), algorithm: .rsaPKCS1SHA1) } == .unsupportedAlgorithm)
    }

    @Test(.softHSM) func aCertificateComesFromTheTokenOrCertPathAndMustFitTheKey() throws {
        let world = try SharedToken.require()
        #expect(throws: PKCS11Error(.certificateUnavailable, "")) {
            try PKCS11Keys.signer(for: try PKCS11URI(world.token.uri(object: "bare", idHex: "03")))
        }
        let withFile = try PKCS11Keys.signer(
            for: try PKCS11URI(world.token.uri(object: "bare", extra: "&cert-path=\(world.path("rsa-root.cert.pem"))")))
        #expect(withFile.certificate == world.pki.rsaRoot.certificate)
        // The key is proved against the certificate before it is handed out: another key's certificate is refused.
        #expect(throws: PKCS11Error(.keyNotInCertificate, "")) {
            try PKCS11Keys.signer(
                for: try PKCS11URI(world.token.uri(object: "bare", extra: "&cert-path=\(world.path("rsa-signer.cert.pem"))")))
        }
        #expect(throws: PKCS11Error(.objectNotFound, "")) {
            try PKCS11Keys.signer(for: try PKCS11URI(world.token.uri(object: "no-such-key")))
        }
        #expect(throws: PKCS11Error(.tokenNotFound, "")) {
            try PKCS11Keys.signer(
                for: try PKCS11URI(world.token.uri(object: "rsa-signer").replacingOccurrences(of: "token=pkcs11-tests", with: "token=elsewhere")))
        }
    }

    @Test(.softHSM) func aWrongPINIsRefusedForGoodAndNeverShown() throws {
        let world = try SharedToken.require()
        let pinFile = world.token.directory.appendingPathComponent("wrong-pin-\(UUID().uuidString.prefix(6))")
        try Data("99999-Wrong\n".utf8).write(to: pinFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: pinFile.path)
        // A token nobody in this process logged in to: one already logged in accepts any PIN (PKCS#11 keeps one
        // login per application and token).
        let text = world.pinToken.uri(object: "rsa-signer", idHex: "01")
            .replacingOccurrences(of: world.token.pinFile, with: pinFile.path)
        for _ in 0..<2 {  // the second time the remembered refusal answers, the token is not asked again
            do {
                _ = try PKCS11Keys.signer(for: try PKCS11URI(text))
                Issue.record("a wrong PIN logged in")
            } catch {
                #expect(error.code == .pinRefused)
                #expect(!error.isRetryable)
                #expect(!error.description.contains("99999-Wrong") && !error.description.contains(world.token.pin))
            }
        }
    }

    @Test(.softHSM) func threadsShareAPoolNoLargerThanItsCapacity() throws {
        let world = try SharedToken.require()
        let base = try PKCS11Keys.signer(for: try PKCS11URI(world.token.uri(object: "ecdsa-signer", idHex: "02")))
        let pool = PKCS11SessionPool(
            module: base.pool.module, uri: base.uri, pin: Array(world.token.pin.utf8), capacity: 2)
        let signer = PKCS11Signer(pool: pool, algorithm: .ecdsaWithSHA256, certificate: world.pki.ecdsaSigner.certificate, chain: [])
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 24) { index in
            let text = message + [UInt8(index)]
            let ok = (try? signer.sign(text)).map {
                world.pki.ecdsaSigner.certificate.publicKey.verify(signature: $0, for: text, algorithm: .ecdsaWithSHA256)
            } ?? false
            if !ok { failures.withLock { $0 += 1 } }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(pool.sessionsOpened >= 1 && pool.sessionsOpened <= 2)
    }

    @Test(.softHSM) func aBrokenSessionFailsRetryablyAndTheNextSignatureSucceeds() throws {
        let world = try SharedToken.require()
        // Our own instance of the module, so closing and finalising it disturbs no other test.
        let uri = try PKCS11URI(world.token.uri(object: "rsa-signer", idHex: "01", module: try world.moduleCopy()))
        let signer = try PKCS11Keys.signer(for: uri)
        let certificate = world.pki.rsaSigner.certificate
        #expect(certificate.publicKey.verify(signature: try signer.sign(message), for: message, algorithm: signer.algorithm))
        let opened = signer.sessionsOpened

        // 1. Every session of the token closed under the pool (CKR_SESSION_HANDLE_INVALID on next use).
        let slot = try signer.pool.withSession { (session, _) throws(PKCS11Error) in session.slot }
        #expect(signer.pool.module.closeAllSessionsForTesting(slot: slot) == 0)
        #expect(throws: CryptoError(.keyUnavailable, "")) { try signer.sign(message) }
        #expect(certificate.publicKey.verify(signature: try signer.sign(message), for: message, algorithm: signer.algorithm))
        #expect(signer.sessionsOpened == opened + 1)  // re-opened and logged in again, same signer, same process

        // 2. The module finalised under the pool (CKR_CRYPTOKI_NOT_INITIALIZED): re-initialised on next use.
        signer.pool.module.finalizeForTesting()
        #expect(throws: CryptoError(.keyUnavailable, "")) { try signer.sign(message) }
        #expect(certificate.publicKey.verify(signature: try signer.sign(message), for: message, algorithm: signer.algorithm))
        #expect(signer.sessionsOpened == opened + 2)
    }
}
