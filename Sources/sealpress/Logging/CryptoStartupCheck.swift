import SealCrypto

/// Runs ``CryptoSelfTest`` (SM3 known answer, SM2 sign/verify with the standard ID) before a command signs or
/// verifies anything: an OpenSSL without SM2/SM3 (some distributions strip them) must stop the process with a clear
/// message and exit 3, not produce seals no Chinese verifier accepts.
enum CryptoStartupCheck {
    static func require() throws {
        do {
            try CryptoSelfTest.run()
        } catch {
            throw CouldNotRun("SM2/SM3 self-test failed: \(error.reason) — this OpenSSL lacks working SM2/SM3 "
                + "(OpenSSL 3 with SM2 enabled is required; some distributions disable it)")
        }
    }
}
