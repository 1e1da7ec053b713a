import Dispatch
import SealCrypto
import SealTestSupport
import Synchronization
import Testing

@Suite struct SignatureTests {
    let message = Array("电子印章 SealPress test message".utf8)

    @Test(.peerExecutable("openssl")) func sm2SignatureVerifiedByOpenSSLCLI() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        let key = try PrivateKey.generate(.sm2)
        #expect(key.algorithm == .sm2)
        let signature = try key.sign(message, algorithm: .sm2WithSM3)
        try cli.write("pub.pem", key.publicKey.pemRepresentation)
        try cli.write("msg", message)
        try cli.write("sig", signature)
        let good = try cli.run([
            "pkeyutl", "-verify", "-rawin", "-digest", "sm3", "-pubin", "-inkey", "pub.pem",
            "-pkeyopt", "distid:1234567812345678", "-in", "msg", "-sigfile", "sig",
        ])
        #expect(good.status == 0, "\(good.output)")
        let viaDgst = try cli.run([
            "dgst", "-sm3", "-verify", "pub.pem", "-sigopt", "distid:1234567812345678", "-signature", "sig", "msg",
        ])
        #expect(viaDgst.output.contains("Verified OK"))
        // OpenSSL's empty default ID must NOT verify our (standard-ID) signature.
        let emptyID = try cli.run(["dgst", "-sm3", "-verify", "pub.pem", "-signature", "sig", "msg"])
        #expect(!emptyID.output.contains("Verified OK"))
    }

    @Test(.peerExecutable("openssl")) func openSSLCLISignatureVerifiedByUs() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        try cli.run(["genpkey", "-algorithm", "SM2", "-out", "key.pem"])
        try cli.run(["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"])
        try cli.write("msg", message)
        let signed = try cli.run([
            "dgst", "-sm3", "-sign", "key.pem", "-sigopt", "distid:1234567812345678", "-out", "sig", "msg",
        ])
        #expect(signed.status == 0, "\(signed.output)")
        let publicKey = try PublicKey(pem: try cli.readText("pub.pem"))
        #expect(publicKey.isSM2)
        let signature = try cli.read("sig")
        #expect(publicKey.verify(signature: signature, for: message, algorithm: .sm2WithSM3))
        #expect(!publicKey.verify(signature: signature, for: message, algorithm: .sm2WithSM3, sm2ID: []))
        #expect(!publicKey.verify(signature: signature, for: message, algorithm: .sm2WithSM3, sm2ID: Array("1234567812345679".utf8)))
        // pkeyutl with the ID too, and a key loaded from the same PEM file signs compatibly.
        try cli.run(["pkeyutl", "-sign", "-rawin", "-digest", "sm3", "-inkey", "key.pem", "-pkeyopt", "distid:1234567812345678", "-in", "msg", "-out", "sig2"])
        #expect(publicKey.verify(signature: try cli.read("sig2"), for: message, algorithm: .sm2WithSM3))
        let loaded = try PrivateKey(pem: try cli.readText("key.pem"))
        #expect(loaded.algorithm == .sm2)
        #expect(loaded.publicKey == publicKey)
    }

    @Test func sm2WrongIDTamperAndRawRS() throws {
        let key = try PrivateKey.generate(.sm2)
        let signature = try key.sign(message, algorithm: .sm2WithSM3)
        let publicKey = key.publicKey
        #expect(publicKey.verify(signature: signature, for: message, algorithm: .sm2WithSM3))
        #expect(!publicKey.verify(signature: signature, for: message, algorithm: .sm2WithSM3, sm2ID: Array("ALICE123@YAHOO.COM".utf8)))
        var tampered = message
        tampered[0] ^= 1
        #expect(!publicKey.verify(signature: signature, for: tampered, algorithm: .sm2WithSM3))
        let raw = try ECSignatureEncoding.rawFromDER(signature)
        #expect(raw.count == 64)
        #expect(publicKey.verify(signature: raw, for: message, algorithm: .sm2WithSM3))
        #expect(try ECSignatureEncoding.derFromRaw(raw) == signature)
        // A custom ID signs and verifies consistently.
        let customID = Array("ALICE123@YAHOO.COM".utf8)
        let custom = try key.sign(message, algorithm: .sm2WithSM3, sm2ID: customID)
        #expect(publicKey.verify(signature: custom, for: message, algorithm: .sm2WithSM3, sm2ID: customID))
        #expect(!publicKey.verify(signature: custom, for: message, algorithm: .sm2WithSM3))
    }

    @Test(arguments: [
        (KeyGenerationAlgorithm.ecdsaP256, SignatureAlgorithm.ecdsaWithSHA256),
        (.ecdsaP384, .ecdsaWithSHA384),
        (.rsa(bits: 2048), .rsaPKCS1SHA256),
        (.rsa(bits: 2048), .rsaPKCS1SHA512),
        (.rsa(bits: 2048), .rsaPSSSHA256),
    ])
    func roundTripAndTamper(generation: KeyGenerationAlgorithm, algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(generation)
        let signature = try key.sign(message, algorithm: algorithm)
        #expect(key.publicKey.verify(signature: signature, for: message, algorithm: algorithm))
        var tampered = signature
        tampered[tampered.count / 2] ^= 0x40
        #expect(!key.publicKey.verify(signature: tampered, for: message, algorithm: algorithm))
        #expect(!key.publicKey.verify(signature: signature, for: message + [0], algorithm: algorithm))
        let other = try PrivateKey.generate(generation)
        #expect(!other.publicKey.verify(signature: signature, for: message, algorithm: algorithm))
    }

    @Test func sloppyDEREncodingsOfTheSameSignatureAreAccepted() throws {
        let key = try PrivateKey.generate(.sm2)
        // Find a signature whose r has its top bit set, so DER needs a 0x00 sign octet.
        var signature: [UInt8] = []
        var raw: [UInt8] = []
        for _ in 0..<64 {
            signature = try key.sign(message, algorithm: .sm2WithSM3)
            raw = try ECSignatureEncoding.rawFromDER(signature)
            if raw[0] >= 0x80 { break }
        }
        try #require(raw[0] >= 0x80)
        let r = Array(raw[0..<32]), s = Array(raw[32...])
        func integer(_ bytes: [UInt8]) -> [UInt8] { [0x02, UInt8(bytes.count)] + bytes }
        func sequence(_ content: [UInt8]) -> [UInt8] { [0x30, UInt8(content.count)] + content }
        let noSignOctet = sequence(integer(r) + integer(s))  // r reads as negative
        let extraZeros = sequence(integer([0, 0] + r) + integer([0, 0, 0] + s))
        let longForm = [0x30, 0x81, UInt8(integer([0] + r).count + integer(s).count)] + integer([0] + r) + integer(s)
        let padded = signature + [0, 0, 0, 0]
        for variant in [noSignOctet, extraZeros, longForm, padded] {
            #expect(variant != signature)
            #expect(key.publicKey.verify(signature: variant, for: message, algorithm: .sm2WithSM3), "\(variant.hex)")
            #expect(!key.publicKey.verify(signature: variant, for: message + [1], algorithm: .sm2WithSM3))
        }
        // Non-zero bytes after the SEQUENCE are not padding.
        #expect(!key.publicKey.verify(signature: signature + [1], for: message, algorithm: .sm2WithSM3))
        #expect(ECSignatureEncoding.canonicalDER(noSignOctet) == signature)
    }

    @Test func ecdsaRawRSAccepted() throws {
        let key = try PrivateKey.generate(.ecdsaP256)
        let signature = try key.sign(message, algorithm: .ecdsaWithSHA256)
        let raw = try ECSignatureEncoding.rawFromDER(signature)
        #expect(key.publicKey.verify(signature: raw, for: message, algorithm: .ecdsaWithSHA256))
    }

    @Test func mismatchedAlgorithmIsRejected() throws {
        let key = try PrivateKey.generate(.ecdsaP256)
        #expect(throws: CryptoError(.unsupportedAlgorithm, "")) { try key.sign(message, algorithm: .sm2WithSM3) }
        #expect(throws: CryptoError(.unsupportedAlgorithm, "")) { try key.sign(message, algorithm: .rsaPKCS1SHA256) }
        #expect(throws: CryptoError(.unsupportedAlgorithm, "")) { try key.sign(message, algorithm: .ecdsaWithSHA1) }
        #expect(!key.publicKey.verify(signature: [0x30, 0x00], for: message, algorithm: .rsaPKCS1SHA256))
    }

    @Test(.peerExecutable("openssl")) func ecdsaAndRSAVerifiedByOpenSSLCLI() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        try cli.write("msg", message)
        for (generation, algorithm, options) in [
            (KeyGenerationAlgorithm.ecdsaP256, SignatureAlgorithm.ecdsaWithSHA256, [String]()),
            (.rsa(bits: 2048), .rsaPKCS1SHA256, []),
            (.rsa(bits: 2048), .rsaPSSSHA256, ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:-2"]),
        ] {
            let key = try PrivateKey.generate(generation)
            try cli.write("pub.pem", key.publicKey.pemRepresentation)
            try cli.write("sig", try key.sign(message, algorithm: algorithm))
            let result = try cli.run(["dgst", "-sha256", "-verify", "pub.pem"] + options + ["-signature", "sig", "msg"])
            #expect(result.output.contains("Verified OK"), "\(algorithm): \(result.output)")
        }
    }

    @Test func signatureAlgorithmOIDs() {
        #expect("\(SignatureAlgorithm.sm2WithSM3.oid)" == "1.2.156.10197.1.501")
        for algorithm in SignatureAlgorithm.allCases {
            #expect(SignatureAlgorithm(oid: algorithm.oid) == algorithm)
        }
        #expect(SignatureAlgorithm(oid: OIDs.rsaEncryption, digest: .sha256) == .rsaPKCS1SHA256)
        #expect(SignatureAlgorithm(oid: OIDs.sm2Sign, digest: .sm3) == .sm2WithSM3)
    }

    @Test func concurrentSigningWithOneKeyIsSafe() throws {
        let key = try PrivateKey.generate(.sm2)
        let other = Array("1234567812345679".utf8)
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            let message = Array("message \(index)".utf8)
            let id = index % 2 == 0 ? SM2.defaultDistinguishingID : other
            guard let signature = try? key.sign(message, algorithm: .sm2WithSM3, sm2ID: id),
                key.publicKey.verify(signature: signature, for: message, algorithm: .sm2WithSM3, sm2ID: id),
                !key.publicKey.verify(signature: signature, for: message, algorithm: .sm2WithSM3, sm2ID: index % 2 == 0 ? other : SM2.defaultDistinguishingID)
            else {
                failures.withLock { $0 += 1 }
                return
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test(arguments: [SignatureAlgorithm.ecdsaWithSHA256, .rsaPSSSHA256, .rsaPKCS1SHA256])
    func concurrentPooledSigningIsSafe(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm == .ecdsaWithSHA256 ? .ecdsaP256 : .rsa(bits: 2048))
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 48) { index in
            let message = Array("pooled \(index)".utf8)
            guard let signature = try? key.sign(message, algorithm: algorithm),
                key.publicKey.verify(signature: signature, for: message, algorithm: algorithm),
                !key.publicKey.verify(signature: signature, for: message + [0], algorithm: algorithm)
            else {
                failures.withLock { $0 += 1 }
                return
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }
}
