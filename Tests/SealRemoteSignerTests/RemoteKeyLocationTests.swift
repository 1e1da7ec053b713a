import SealCrypto
import SealRemoteSigner
import Testing

/// Parsing `sealpress+https://` references and naming algorithms on the wire (no network).
@Suite struct RemoteKeyLocationTests {
    @Test func referenceWithQueryAndEnvironmentFallback() throws {
        let full = try RemoteKeyLocation(
            "sealpress+https://sign.example:8443/keys/seal-sm2?client-cert=/c.pem&client-key=/k.pem&ca=/ca.pem&timeout=2.5",
            environment: [:])
        #expect(full.host == "sign.example" && full.port == 8443 && full.keyName == "seal-sm2")
        #expect(full.clientCertificatePath == "/c.pem" && full.clientKeyPath == "/k.pem" && full.caPath == "/ca.pem")
        #expect(full.timeoutSeconds == 2.5)
        #expect(full.baseURL == "https://sign.example:8443")
        let environment = [
            "SEALPRESS_REMOTE_CLIENT_CERT": "/env/c.pem", "SEALPRESS_REMOTE_CLIENT_KEY": "/env/k.pem",
            "SEALPRESS_REMOTE_CA": "/env/ca.pem",
        ]
        let bare = try RemoteKeyLocation("sealpress+https://[::1]:9443/keys/rsa", environment: environment)
        #expect(bare.host == "::1" && bare.baseURL == "https://[::1]:9443")
        #expect(bare.clientKeyPath == "/env/k.pem" && bare.timeoutSeconds == 20)
    }

    @Test func malformedReferencesAreRefused() {
        let environment = ["SEALPRESS_REMOTE_CLIENT_CERT": "/c", "SEALPRESS_REMOTE_CLIENT_KEY": "/k", "SEALPRESS_REMOTE_CA": "/a"]
        for text in [
            "https://h:1/keys/x", "sealpress+https://h/keys/x", "sealpress+https://h:1/x", "sealpress+https://h:1/keys/",
            "sealpress+https://h:1/keys/x/y", "sealpress+https://h:1/keys/x?pin=1234", "sealpress+https://h:1/keys/x?timeout=0",
        ] {
            #expect(throws: RemoteSignerError(.invalidReference, ""), "\(text)") {
                try RemoteKeyLocation(text, environment: environment)
            }
        }
        // No client certificate anywhere: a credentials error that names the variable.
        let missing = #expect(throws: RemoteSignerError(.clientCredentials, "")) {
            try RemoteKeyLocation("sealpress+https://h:1/keys/x", environment: [:])
        }
        #expect(missing?.reason.contains("SEALPRESS_REMOTE_CLIENT_CERT") == true)
    }

    /// Every scheme SealPress signs with has wire names that map back to it; verify-only ones have none.
    @Test func wireSchemeNamesRoundTrip() {
        for algorithm in SignatureAlgorithm.allCases {
            guard let wire = RemoteSigningScheme(algorithm) else {
                #expect(!algorithm.isAllowedForSigning, "\(algorithm) has no wire name")
                continue
            }
            #expect(wire.signatureAlgorithm == algorithm)
        }
        #expect(RemoteSigningScheme(algorithm: "sm3", scheme: "sm2").signatureAlgorithm == .sm2WithSM3)
        #expect(RemoteSigningScheme(algorithm: "sha1", scheme: "rsa-pkcs1-v1_5").signatureAlgorithm == nil)
    }
}
