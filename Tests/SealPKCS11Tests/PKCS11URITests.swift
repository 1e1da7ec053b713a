import Foundation
import SealCrypto
import SealPKCS11
import Testing

@Suite struct PKCS11URITests {
    @Test func parsesTheRFC7512FormWithPercentDecoding() throws {
        let uri = try PKCS11URI(
            "pkcs11:token=Bureau%20Seals;object=seal-2026;id=%01%A0;type=private"
                + "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/secrets/pin&cert-path=/etc/seal%26co.pem")
        #expect(uri.token == "Bureau Seals")
        #expect(uri.object == "seal-2026")
        #expect(uri.id == [0x01, 0xA0])
        #expect(uri.modulePath == "/usr/lib/softhsm/libsofthsm2.so")
        #expect(uri.pinSource == .file("/run/secrets/pin"))
        #expect(uri.certificatePath == "/etc/seal&co.pem")
        #expect(uri.description == uri.text)  // kept as given: the registry stores and re-reads the same text
        let env = try PKCS11URI("pkcs11:serial=0042;object=k?module-path=/m.so&pin-source=env:TOKEN_PIN&signature=rsaPSSSHA256")
        #expect(env.pinSource == .environment("TOKEN_PIN"))
        #expect(env.serial == "0042")
        #expect(env.signatureAlgorithm == .rsaPSSSHA256)
    }

    @Test func aPINInTheReferenceIsRefusedWithoutRepeatingIt() throws {
        do {
            _ = try PKCS11URI("pkcs11:token=t;object=k?module-path=/m.so&pin-value=731904")
            Issue.record("pin-value was accepted")
        } catch {
            #expect(error.code == .invalidURI)
            #expect(error.reason.contains("pin-source=file:"))
            #expect(!error.description.contains("731904"))
        }
    }

    @Test(arguments: [
        "pkcs11:token=t;object=k",  // no module
        "pkcs11:token=t?module-path=/m.so",  // no key
        "pkcs11:object=k?module-path=/m.so",  // no token
        "pkcs11:token=t;object=k;type=cert?module-path=/m.so",
        "pkcs11:token=t;object=k;colour=red?module-path=/m.so",
        "pkcs11:token=t;object=k?module-path=/m.so&pin_source=file:/p",
        "pkcs11:token=t;object=k?module-path=/m.so&pin-source=relative/pin",
        "pkcs11:token=t;object=k%2?module-path=/m.so",
        "pkcs11:token=t;token=u;object=k?module-path=/m.so",
        "pkcs11:token=t;object=k?module-path=/m.so&signature=rsaPKCS1SHA1",
    ])
    func malformedReferencesAreRefused(_ text: String) {
        #expect(throws: PKCS11Error(.invalidURI, "")) { try PKCS11URI(text) }
    }

    @Test func aPINFileReadableByEveryoneIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pin = folder.appendingPathComponent("pin")
        try Data("1234\n".utf8).write(to: pin)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pin.path)
        let uri = try PKCS11URI("pkcs11:token=t;object=k?module-path=/nonexistent/module.so&pin-source=file:\(pin.path)")
        do {
            _ = try PKCS11Keys.signer(for: uri)
            Issue.record("a world-readable PIN file was used")
        } catch {
            #expect(error.code == .pinUnavailable)
            #expect(error.reason.contains("chmod 0400"))
            #expect(!error.description.contains("1234"))
        }
        // Once only its owner can read it, the PIN is taken and the next problem (no such module) is reported.
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: pin.path)
        #expect(throws: PKCS11Error(.moduleNotLoadable, "")) { try PKCS11Keys.signer(for: uri) }
    }
}
