import SealCrypto
import SealTestSupport
import Testing

@Suite struct KeyLoadingTests {
    let message = Array("load and sign".utf8)

    @Test(arguments: [KeyGenerationAlgorithm.sm2, .ecdsaP256, .rsa(bits: 2048)])
    func pemAndEncryptedPKCS8RoundTrip(generation: KeyGenerationAlgorithm) throws {
        let key = try PrivateKey.generate(generation)
        let plain = try PrivateKey(pem: key.pemRepresentation)
        #expect(plain.publicKey == key.publicKey)
        #expect(key.pemRepresentation.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let encrypted = try key.pem(password: "秘密-pass")
        #expect(encrypted.contains("ENCRYPTED PRIVATE KEY"))
        let reloaded = try PrivateKey(pem: encrypted, password: "秘密-pass")
        #expect(reloaded.publicKey == key.publicKey)
        #expect(reloaded.algorithm == key.algorithm)
        #expect(throws: CryptoError(.wrongPassword, "")) { try PrivateKey(pem: encrypted, password: "wrong") }
        #expect(throws: CryptoError(.wrongPassword, "")) { try PrivateKey(pem: encrypted) }
        let fromDER = try PrivateKey(der: key.pkcs8DER)
        #expect(fromDER.publicKey == key.publicKey)
        let algorithm = key.algorithm.defaultSignatureAlgorithm!
        #expect(key.publicKey.verify(signature: try reloaded.sign(message, algorithm: algorithm), for: message, algorithm: algorithm))
        #expect(try PublicKey(spkiDER: key.publicKey.spkiDER) == key.publicKey)
    }

    @Test func spkiNamingTheBareSM2OIDIsAccepted() throws {
        let key = try PrivateKey.generate(.sm2)
        let standard = key.publicKey.spkiDER
        let bitString = Array(standard.suffix(68))
        #expect(bitString.first == 0x03)
        let algorithm: [UInt8] = [0x30, 0x0a, 0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d]
        let bare = [0x30, UInt8(algorithm.count + bitString.count)] + algorithm + bitString
        let publicKey = try PublicKey(spkiDER: bare)
        #expect(publicKey.isSM2)
        #expect(publicKey.spkiDER == bare)
        let signature = try key.sign(message, algorithm: .sm2WithSM3)
        #expect(publicKey.verify(signature: signature, for: message, algorithm: .sm2WithSM3))
    }

    @Test func garbageKeysGiveTypedErrors() {
        #expect(throws: CryptoError(.invalidPEM, "")) { try PrivateKey(pem: "not a key") }
        #expect(throws: CryptoError(.invalidKey, "")) { try PrivateKey(der: [0x30, 0x03, 0x02, 0x01, 0x00]) }
        #expect(throws: CryptoError(.invalidKey, "")) { try PublicKey(spkiDER: [0x30, 0x82, 0xff, 0xff]) }
        #expect(throws: CryptoError(.invalidKey, "")) { try PublicKey(spkiDER: []) }
    }

    @Test(.peerExecutable("openssl")) func legacyAndModernPKCS12Load() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        for algorithm in ["SM2", "RSA"] {
            try cli.run(["genpkey", "-algorithm", algorithm, "-out", "key.pem"] + (algorithm == "RSA" ? ["-pkeyopt", "rsa_keygen_bits:2048"] : []))
            let made = try cli.run([
                "req", "-new", "-x509", "-key", "key.pem", "-subj", "/CN=测试签章人/O=某某市市场监督管理局/C=CN",
                "-utf8", "-days", "30", "-out", "cert.pem",
            ] + (algorithm == "SM2" ? ["-sm3", "-sigopt", "distid:1234567812345678"] : []))
            #expect(made.status == 0, "\(made.output)")
            let legacy = try cli.run([
                "pkcs12", "-export", "-legacy", "-inkey", "key.pem", "-in", "cert.pem", "-out", "legacy.p12",
                "-passout", "pass:123456",
            ])
            #expect(legacy.status == 0, "\(legacy.output)")
            let modern = try cli.run([
                "pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out", "modern.p12", "-passout", "pass:123456",
            ])
            #expect(modern.status == 0, "\(modern.output)")
            for file in ["legacy.p12", "modern.p12"] {
                let bundle = try PKCS12Bundle(der: try cli.read(file), password: "123456")
                #expect(bundle.certificate.subjectName.commonName == "测试签章人", "\(file)")
                #expect(bundle.certificate.publicKey == bundle.privateKey.publicKey)
                #expect(bundle.certificate.isSM2 == (algorithm == "SM2"))
                let signer = try bundle.signer()
                let signature = try signer.sign(message)
                #expect(bundle.certificate.publicKey.verify(signature: signature, for: message, algorithm: signer.algorithm))
                #expect(throws: CryptoError(.wrongPassword, "")) { try PKCS12Bundle(der: try cli.read(file), password: "nope") }
            }
            if algorithm == "SM2" {
                // OpenSSL self-signed with the standard ID: our check of the certificate's signature agrees.
                let certificate = try Certificate(pem: try cli.readText("cert.pem"))
                #expect(certificate.isSignatureValid(issuerKey: certificate.publicKey))
                #expect(!certificate.isSignatureValid(issuerKey: certificate.publicKey, sm2ID: []))
            }
        }
    }

    @Test(.peerExecutable("openssl")) func pkcs12ExportReloads() throws {
        let key = try PrivateKey.generate(.ecdsaP256)
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        try cli.write("key.pem", key.pemRepresentation)
        try cli.run(["req", "-new", "-x509", "-key", "key.pem", "-subj", "/CN=p12", "-days", "1", "-out", "cert.pem"])
        let certificate = try Certificate(pem: try cli.readText("cert.pem"))
        let p12 = try PKCS12Bundle.export(key: key, certificate: certificate, password: "pw")
        let bundle = try PKCS12Bundle(der: p12, password: "pw")
        #expect(bundle.certificate == certificate)
        try cli.write("out.p12", p12)
        #expect(try cli.run(["pkcs12", "-in", "out.p12", "-passin", "pass:pw", "-nokeys", "-noout"]).status == 0)
    }
}
