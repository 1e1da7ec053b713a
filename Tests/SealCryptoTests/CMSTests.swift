import Foundation
import SealCrypto
import SealTestSupport
import Testing

@Suite struct CMSTests {
    let pki = TestPKI.shared
    let content = Array("%PDF-1.7 pretend byte ranges 电子签章".utf8)

    @Test(.peerExecutable("openssl"), arguments: ["rsa", "ecdsa"])
    func detachedSignedDataVerifiedByOpenSSLCMS(which: String) throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        let identity = which == "rsa" ? pki.rsaSigner : pki.ecdsaSigner
        let der = try CMSSignedData.signDetached(
            contentDigest: Digest.hash(.sha256, content), digestAlgorithm: .sha256, signer: try identity.signer())
        try cli.write("sig.der", der)
        try cli.write("content.bin", content)
        try cli.write("root.pem", pki.rsaRoot.certificate.pemRepresentation)
        let result = try cli.run([
            "cms", "-verify", "-binary", "-content", "content.bin", "-inform", "DER", "-in", "sig.der",
            "-CAfile", "root.pem", "-purpose", "any", "-out", "/dev/null",
        ])
        #expect(result.status == 0 && result.output.contains("Verification successful"), "\(result.output)")
        try cli.write("content.bin", content + [0x20])
        let tampered = try cli.run([
            "cms", "-verify", "-binary", "-content", "content.bin", "-inform", "DER", "-in", "sig.der",
            "-CAfile", "root.pem", "-purpose", "any", "-out", "/dev/null",
        ])
        #expect(tampered.status != 0)

        let parsed = try CMSSignedData(der: der)
        let verification = parsed.verify(content: content, trust: pki.trustStore)
        #expect(verification.isValid, "\(verification.failures)")
        #expect(verification.signerCertificate == identity.certificate)
        #expect(parsed.verifyAll(content: content, trust: pki.trustStore).map(\.isValid) == [true])
        #expect(verification.signingTime != nil)
    }

    @Test(.peerExecutable("openssl")) func opensslMadeSignedDataVerifiedByUs() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        try cli.write("content.bin", content)
        try cli.write("cert.pem", pki.rsaSigner.certificate.pemRepresentation)
        try cli.write("key.pem", pki.rsaSigner.key.pemRepresentation)
        let signed = try cli.run([
            "cms", "-sign", "-binary", "-in", "content.bin", "-signer", "cert.pem", "-inkey", "key.pem",
            "-outform", "DER", "-out", "sig.der", "-md", "sha256",
        ])
        #expect(signed.status == 0, "\(signed.output)")
        let parsed = try CMSSignedData(der: try cli.read("sig.der"))
        #expect(parsed.verify(content: content, trust: pki.trustStore).isValid)
        let bad = parsed.verify(content: Array(content.dropLast()), trust: pki.trustStore)
        #expect(bad.failures.contains(.digestMismatch))

        // Two parallel signers (RSA and ECDSA) in one SignedData.
        try cli.write("ec-cert.pem", pki.ecdsaSigner.certificate.pemRepresentation)
        try cli.write("ec-key.pem", pki.ecdsaSigner.key.pemRepresentation)
        let twice = try cli.run([
            "cms", "-sign", "-binary", "-in", "content.bin", "-signer", "cert.pem", "-inkey", "key.pem",
            "-signer", "ec-cert.pem", "-inkey", "ec-key.pem", "-outform", "DER", "-out", "two.der", "-md", "sha256",
        ])
        #expect(twice.status == 0, "\(twice.output)")
        let both = try CMSSignedData(der: try cli.read("two.der")).verifyAll(content: content, trust: pki.trustStore)
        #expect(both.map(\.isValid) == [true, true])
        #expect(Set(both.compactMap(\.signerCertificate)) == [pki.rsaSigner.certificate, pki.ecdsaSigner.certificate])
    }

    @Test(arguments: CMSOIDStyle.allCases)
    func sm2SignedDataVerifiesAndRejectsTampering(style: CMSOIDStyle) throws {
        let signer = try pki.sm2Signer.signer()
        let der = try CMSSignedData.signDetached(
            contentDigest: Digest.hash(.sm3, content), digestAlgorithm: .sm3, signer: signer,
            options: CMSSignOptions(oidStyle: style))
        let parsed = try CMSSignedData(der: der)
        #expect(parsed.oidStyle == style)
        #expect(parsed.digestAlgorithms == [.sm3])
        let info = try #require(parsed.signerInfos.first)
        #expect("\(info.signatureAlgorithmOID)" == "1.2.156.10197.1.501")
        #expect(info.signatureAlgorithm == .sm2WithSM3)
        let ok = parsed.verify(contentDigest: Digest.hash(.sm3, content), trust: pki.trustStore)
        #expect(ok.isValid, "\(ok.failures)")
        #expect(ok.isIntact)
        let tampered = parsed.verify(content: content + [1], trust: pki.trustStore)
        #expect(tampered.failures == [.digestMismatch])
        // Verifying with OpenSSL's empty ID must fail: the signature uses the standard ID.
        #expect(parsed.verify(content: content, sm2ID: []).failures == [.signatureInvalid])
        // Untrusted root: integrity holds, trust fails.
        let untrusted = parsed.verify(content: content, trust: TrustStore(roots: [pki.rsaRoot.certificate]))
        #expect(untrusted.isIntact && !untrusted.isValid)
    }

    /// What ../shared/tools/sm2_pdf_verify.py does: SM2 over DER(signedAttrs as SET), checked by `openssl dgst`
    /// with distid, and by the pure-Python gmssl when installed.
    @Test(.peerExecutable("openssl")) func sm2SignerInfoCheckedByOpenSSLDgstAndGmSSL() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        let der = try CMSSignedData.signDetached(
            contentDigest: Digest.hash(.sm3, content), digestAlgorithm: .sm3, signer: try pki.sm2Signer.signer())
        let info = try #require(try CMSSignedData(der: der).signerInfos.first)
        let signedAttributes = try #require(info.signedAttributesForSignature)
        #expect(signedAttributes.first == 0x31)
        try cli.write("attrs", signedAttributes)
        try cli.write("sig", info.signature)
        try cli.write("pub.pem", pki.sm2Signer.certificate.publicKey.pemRepresentation)
        let result = try cli.run([
            "dgst", "-sm3", "-verify", "pub.pem", "-sigopt", "distid:1234567812345678", "-signature", "sig", "attrs",
        ])
        #expect(result.output.contains("Verified OK"), "\(result.output)")
        if TestEnvironment.pythonHasModules(["gmssl", "asn1crypto"]) {
            let point = try #require(pki.sm2Signer.certificate.publicKey.spkiDER.suffix(64) as ArraySlice<UInt8>?)
            let raw = try ECSignatureEncoding.rawFromDER(info.signature)
            let script = """
                import sys
                from gmssl import sm2
                c = sm2.CryptSM2(private_key=None, public_key='\(Array(point).hex)')
                print(c.verify_with_sm3('\(raw.hex)', open(sys.argv[1], 'rb').read()))
                """
            try cli.write("check.py", script)
            let python = try #require(TestEnvironment.executable("python3"))
            let gm = try TestEnvironment.run(python, [cli.directory.appendingPathComponent("check.py").path, cli.directory.appendingPathComponent("attrs").path])
            #expect(gm.stdout.contains("True"), "\(gm.stdout) \(gm.stderr)")
        }
    }

    @Test func signedDataWithTimeStampVerifies() throws {
        let tsa = try LocalTimeStampAuthority(signer: try pki.tsa.signer())
        let der = try CMSSignedData.signDetached(
            contentDigest: Digest.hash(.sha256, content), digestAlgorithm: .sha256, signer: try pki.rsaSigner.signer(),
            options: CMSSignOptions(timestamp: tsa))
        let verification = try CMSSignedData(der: der).verify(content: content, trust: pki.trustStore)
        #expect(verification.isValid, "\(verification.failures)")
        let stamp = try #require(verification.timeStamp)
        #expect(stamp.isValid)
        #expect(stamp.tsaCertificate == pki.tsa.certificate)
        #expect(abs(stamp.genTime!.timeIntervalSinceNow) < 60)
    }

    @Test func attachedGMT0010WithoutAttributesStyleIsReadable() throws {
        let der = try CMSSignedData.signAttached(content: content, digestAlgorithm: .sm3, signer: try pki.sm2Signer.signer(),
                                                 options: CMSSignOptions(oidStyle: .gmt0010))
        let parsed = try CMSSignedData(der: der)
        #expect(parsed.encapsulatedContent == content)
        #expect(parsed.verify(content: nil, trust: pki.trustStore).isValid)
    }

    @Test func gbt35275AttachedWithoutSignedAttributes() throws {
        let digest = Digest.hash(.sm3, content)
        let der = try CMSSignedData.signAttached(
            content: digest, digestAlgorithm: .sm3, signer: try pki.sm2Signer.signer(),
            options: CMSSignOptions(oidStyle: .gmt0010, includeSignedAttributes: false))
        let parsed = try CMSSignedData(der: der)
        #expect(parsed.signerInfos.first?.signedAttributes == nil)
        #expect(parsed.verify(content: nil, trust: pki.trustStore).isValid)
        #expect(parsed.verify(content: digest + [0], trust: pki.trustStore).failures.contains(.signatureInvalid))
        #expect(parsed.verify(contentDigest: digest).failures == [.contentRequired])
    }

    @Test func externalSignerReturningRawRSIsNormalised() throws {
        let key = pki.sm2Signer.key
        let external = ExternalSigner(algorithm: .sm2WithSM3, certificate: pki.sm2Signer.certificate) { message in
            try ECSignatureEncoding.rawFromDER(try key.sign(message, algorithm: .sm2WithSM3))
        }
        let der = try CMSSignedData.signDetached(contentDigest: Digest.hash(.sm3, content), digestAlgorithm: .sm3, signer: external)
        let parsed = try CMSSignedData(der: der)
        #expect(parsed.signerInfos.first?.signature.first == 0x30)
        #expect(parsed.verify(content: content, trust: pki.trustStore).isValid)
    }

    @Test func signerWithoutCertificateIsRejected() throws {
        let signer = try SoftwareSigner(key: pki.sm2Signer.key)
        #expect(throws: CryptoError(.invalidArgument, "")) {
            try CMSSignedData.signDetached(contentDigest: Digest.hash(.sm3, content), digestAlgorithm: .sm3, signer: signer)
        }
        #expect(throws: CryptoError(.invalidArgument, "")) {
            try CMSSignedData.signDetached(contentDigest: [1, 2, 3], digestAlgorithm: .sm3, signer: try pki.sm2Signer.signer())
        }
    }
}
