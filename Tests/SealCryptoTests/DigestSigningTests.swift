import Foundation
import SealCrypto
import SealTestSupport
import Testing

/// Signing a digest computed elsewhere (the remote-signing split): the client hashes (SM2: e = SM3(Z ‖ M)), the
/// key holder signs only the digest, and the result is an ordinary signature over the message.
@Suite struct DigestSigningTests {
    let message = Array("远程签名 digest split test message".utf8)

    static let cases: [(KeyGenerationAlgorithm, SignatureAlgorithm)] = [
        (.rsa(bits: 2048), .rsaPKCS1SHA256), (.rsa(bits: 2048), .rsaPKCS1SHA512), (.rsa(bits: 2048), .rsaPSSSHA256),
        (.ecdsaP256, .ecdsaWithSHA256), (.ecdsaP384, .ecdsaWithSHA384), (.sm2, .sm2WithSM3),
    ]

    @Test func digestSignatureVerifiesAsMessageSignature() throws {
        for (generation, algorithm) in Self.cases {
            let key = try PrivateKey.generate(generation)
            let digest = try SigningDigest.digest(for: message, algorithm: algorithm, publicKey: key.publicKey)
            #expect(digest.count == algorithm.digest.outputByteCount)
            let signature = try key.signDigest(digest, algorithm: algorithm)
            #expect(key.publicKey.verify(signature: signature, for: message, algorithm: algorithm), "\(algorithm)")
            #expect(!key.publicKey.verify(signature: signature, for: message + [0], algorithm: algorithm), "\(algorithm)")
        }
    }

    /// SM2's digest is not SM3(M): without Z (or with another ID) the signature does not verify.
    @Test func sm2DigestIncludesZOfTheSignerAndID() throws {
        let key = try PrivateKey.generate(.sm2)
        let plain = Digest.hash(.sm3, message)
        let withoutZ = try key.signDigest(plain, algorithm: .sm2WithSM3)
        #expect(!key.publicKey.verify(signature: withoutZ, for: message, algorithm: .sm2WithSM3))
        let otherID = try SigningDigest.digest(
            for: message, algorithm: .sm2WithSM3, publicKey: key.publicKey, sm2ID: Array("ALICE123@YAHOO.COM".utf8))
        let signature = try key.signDigest(otherID, algorithm: .sm2WithSM3)
        #expect(!key.publicKey.verify(signature: signature, for: message, algorithm: .sm2WithSM3))
        #expect(key.publicKey.verify(
            signature: signature, for: message, algorithm: .sm2WithSM3, sm2ID: Array("ALICE123@YAHOO.COM".utf8)))
        // Z needs an SM2 key.
        let ec = try PrivateKey.generate(.ecdsaP256)
        #expect(throws: CryptoError(.unsupportedAlgorithm, "")) {
            try SigningDigest.digest(for: message, algorithm: .sm2WithSM3, publicKey: ec.publicKey)
        }
    }

    @Test func wrongDigestLengthOrSchemeIsRefused() throws {
        let key = try PrivateKey.generate(.ecdsaP256)
        #expect(throws: CryptoError(.invalidArgument, "")) {
            try key.signDigest(Array(repeating: 1, count: 20), algorithm: .ecdsaWithSHA256)
        }
        #expect(throws: CryptoError(.unsupportedAlgorithm, "")) {
            try key.signDigest(Array(repeating: 1, count: 32), algorithm: .sm2WithSM3)
        }
        #expect(throws: CryptoError(.unsupportedAlgorithm, "")) {
            try key.signDigest(Array(repeating: 1, count: 20), algorithm: .rsaPKCS1SHA1)
        }
    }

    /// OpenSSL computes Z and e itself from the message (dgst -sm3 -sigopt distid): our split must match it.
    @Test(.peerExecutable("openssl")) func digestSignaturesVerifiedByOpenSSLCLI() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        try cli.write("msg", message)
        let commands: [SignatureAlgorithm: [String]] = [
            .sm2WithSM3: ["dgst", "-sm3", "-sigopt", "distid:1234567812345678"],
            .rsaPKCS1SHA256: ["dgst", "-sha256"],
            .rsaPSSSHA256: ["dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"],
            .ecdsaWithSHA384: ["dgst", "-sha384"],
        ]
        for (generation, algorithm) in Self.cases {
            guard let command = commands[algorithm] else { continue }
            let key = try PrivateKey.generate(generation)
            let digest = try SigningDigest.digest(for: message, algorithm: algorithm, publicKey: key.publicKey)
            try cli.write("pub.pem", key.publicKey.pemRepresentation)
            try cli.write("sig", try key.signDigest(digest, algorithm: algorithm))
            let result = try cli.run(command + ["-verify", "pub.pem", "-signature", "sig", "msg"])
            #expect(result.output.contains("Verified OK"), "\(algorithm): \(result.output)")
        }
    }

    /// The other direction: `openssl pkeyutl -sign` over our e (SM2) gives a signature our verifier accepts, so
    /// OpenSSL's SM2 EVP_PKEY_sign signs the given e as is.
    @Test(.peerExecutable("openssl")) func openSSLPkeyutlSignsTheGivenE() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        let key = try PrivateKey.generate(.sm2)
        try cli.write("key.pem", key.pemRepresentation)
        try cli.write("e", try SigningDigest.digest(for: message, algorithm: .sm2WithSM3, publicKey: key.publicKey))
        let signed = try cli.run(["pkeyutl", "-sign", "-inkey", "key.pem", "-in", "e", "-out", "sig"])
        #expect(signed.status == 0, "\(signed.output)")
        #expect(key.publicKey.verify(signature: try cli.read("sig"), for: message, algorithm: .sm2WithSM3))
    }
}
