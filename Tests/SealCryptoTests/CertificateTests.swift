import Foundation
import SealCrypto
import SealTestSupport
import Testing

@Suite struct CertificateTests {
    let pki = TestPKI.shared

    @Test func parsesChineseSubjectAndExtensions() throws {
        let certificate = pki.sm2Signer.certificate
        #expect(certificate.subjectName.commonName == "某某市市场监督管理局")
        #expect(certificate.subject == "CN=某某市市场监督管理局,OU=电子印章,O=某某市市场监督管理局,C=CN")
        #expect(certificate.issuer == "CN=SealPress Demo SM2 Root CA,O=SealPress 演示,C=CN")
        #expect(certificate.isSM2)
        #expect(!certificate.isCA)
        #expect(certificate.keyUsage == [.digitalSignature, .nonRepudiation])
        #expect(certificate.signatureAlgorithm == .sm2WithSM3)
        #expect(certificate.subjectKeyIdentifier?.count == 20)
        #expect(certificate.authorityKeyIdentifier == pki.sm2Root.certificate.subjectKeyIdentifier)
        #expect(certificate.serialNumberHex.count == 32)
        #expect(certificate.version == 3)
        let root = pki.sm2Root.certificate
        #expect(root.isCA)
        #expect(root.keyUsage?.contains(.keyCertSign) == true)
        #expect(root.isSelfIssued)
        let tsa = pki.tsa.certificate
        #expect(tsa.allowsTimeStamping && tsa.isExtendedKeyUsageCritical)
        #expect(try Certificate(pem: certificate.pemRepresentation) == certificate)
        let both = try Certificate.certificates(pem: certificate.pemRepresentation + root.pemRepresentation)
        #expect(both == [certificate, root])
        #expect(certificate.sha256Fingerprint == Digest.hash(.sha256, certificate.der))
    }

    @Test func namesInGBKAndBMPStringsDecode() throws {
        // CN as PrintableString holding GBK bytes of "测试" (B2E2 CAD4), O as BMPString "印章".
        let cn: [UInt8] = [0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x03, 0x13, 0x04, 0xb2, 0xe2, 0xca, 0xd4]
        let o: [UInt8] = [0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x1e, 0x04, 0x53, 0x70, 0x7a, 0xe0]
        let name = try DistinguishedName(der: [0x30, UInt8(cn.count + o.count)] + o + cn)
        #expect(name.commonName == "测试")
        #expect(name.organization == "印章")
        #expect(name.description == "CN=测试,O=印章")
    }

    @Test(.peerExecutable("openssl")) func opensslAgreesWithOurParsing() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        let certificate = pki.sm2Signer.certificate
        try cli.write("c.pem", certificate.pemRepresentation)
        let shown = try cli.run(["x509", "-in", "c.pem", "-noout", "-serial", "-subject", "-nameopt", "RFC2253,-esc_msb"])
        #expect(shown.output.contains("serial=\(certificate.serialNumberHex)"))
        #expect(shown.output.contains("CN=某某市市场监督管理局"))
    }

    @Test(.peerExecutable("openssl")) func sm2ChainAcceptedByOpenSSLVerifyWithDistID() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        try cli.write("root.pem", pki.sm2Root.certificate.pemRepresentation)
        for (name, identity) in [("signer", pki.sm2Signer), ("maker", pki.sealMaker), ("tsa", pki.sm2TSA)] {
            try cli.write("\(name).pem", identity.certificate.pemRepresentation)
            let result = try cli.run([
                "verify", "-CAfile", "root.pem", "-vfyopt", "distid:1234567812345678", "-attime",
                String(Int(Date().timeIntervalSince1970)), "\(name).pem",
            ])
            #expect(result.status == 0 && result.output.contains("OK"), "\(name): \(result.output)")
        }
        // Without the ID, OpenSSL 3.0 checks with the empty ID and must reject our conformant signatures.
        let withoutID = try cli.run(["verify", "-CAfile", "root.pem", "signer.pem"])
        #expect(withoutID.status != 0, "\(withoutID.output)")
        try cli.write("rsa-root.pem", pki.rsaRoot.certificate.pemRepresentation)
        try cli.write("rsa.pem", pki.rsaSigner.certificate.pemRepresentation)
        let rsa = try cli.run(["verify", "-CAfile", "rsa-root.pem", "rsa.pem"])
        #expect(rsa.status == 0, "\(rsa.output)")
    }

    /// The pure-Python gmssl SM2 (default ID 1234567812345678) accepts our SM2 certificate signatures.
    @Test(.peer("openssl and python3 gmssl + asn1crypto") { TestEnvironment.executable("openssl") != nil && TestEnvironment.pythonHasModules(["gmssl", "asn1crypto"]) }) func sm2CertificateSignatureAcceptedByGmSSL() throws {
        guard TestEnvironment.peerAvailable("python3 gmssl + asn1crypto", TestEnvironment.pythonHasModules(["gmssl", "asn1crypto"])),
            let python = TestEnvironment.executable("python3"), let cli = try OpenSSLCLI.available()
        else { return }
        defer { cli.cleanUp() }
        try cli.write("leaf.der", pki.sm2Signer.certificate.der)
        try cli.write("root.der", pki.sm2Root.certificate.der)
        try cli.write("check.py", """
            import sys
            from asn1crypto import x509, core
            from gmssl import sm2
            leaf = x509.Certificate.load(open(sys.argv[1], 'rb').read())
            root = x509.Certificate.load(open(sys.argv[2], 'rb').read())
            point = root['tbs_certificate']['subject_public_key_info']['public_key'].contents[1:].hex()[2:]
            seq = core.Sequence.load(leaf['signature_value'].native)
            r, s = [core.Integer.load(x).native for x in (seq.contents[:seq.contents[1] + 2], seq.contents[seq.contents[1] + 2:])]
            ok = sm2.CryptSM2(private_key=None, public_key=point).verify_with_sm3('%064x%064x' % (r, s), leaf['tbs_certificate'].dump())
            print('GMSSL', ok)
            """)
        let result = try TestEnvironment.run(python, [
            cli.directory.appendingPathComponent("check.py").path, cli.directory.appendingPathComponent("leaf.der").path,
            cli.directory.appendingPathComponent("root.der").path,
        ])
        #expect(result.stdout.contains("GMSSL True"), "\(result.stdout) \(result.stderr)")
    }

    @Test func chainValidationAtAGivenTime() throws {
        let store = pki.trustStore
        let now = Date()
        let ok = store.validate(pki.sm2Signer.certificate, at: now)
        #expect(ok.isValid, "\(ok)")
        #expect(ok.chain == [pki.sm2Signer.certificate, pki.sm2Root.certificate])
        #expect(ok.trustAnchor == pki.sm2Root.certificate)
        #expect(store.validate(pki.ecdsaSigner.certificate, at: now).isValid)

        let later = store.validate(pki.sm2Signer.certificate, at: now.addingTimeInterval(800 * 86_400))
        #expect(later.failures.contains { if case .expired = $0 { return true } else { return false } })
        let earlier = store.validate(pki.sm2Signer.certificate, at: now.addingTimeInterval(-3 * 86_400))
        #expect(earlier.failures.contains { if case .notYetValid = $0 { return true } else { return false } })

        let untrusted = TrustStore(roots: [pki.rsaRoot.certificate]).validate(pki.sm2Signer.certificate, at: now)
        #expect(!untrusted.isValid && !untrusted.isTrusted)
    }

    @Test func wrongIssuerSignatureIsDetected() throws {
        // Same issuer NAME as the SM2 root, but signed by another key.
        let impostorKey = try PrivateKey.generate(.sm2)
        var builder = CertificateBuilder(
            subject: try .build(commonName: "伪造的签章人", country: "CN"), publicKey: try PrivateKey.generate(.sm2).publicKey,
            notBefore: Date().addingTimeInterval(-60), notAfter: Date().addingTimeInterval(86_400))
        builder.keyUsage = [.digitalSignature]
        let forged = try builder.sign(issuer: pki.sm2Root.certificate, signer: try SoftwareSigner(key: impostorKey))
        let result = pki.trustStore.validate(forged, at: Date())
        #expect(!result.isValid)
        #expect(result.failures.contains { if case .badSignature = $0 { return true } else { return false } })
        #expect(!forged.isIssued(by: pki.sm2Root.certificate))
        #expect(pki.sm2Signer.certificate.isIssued(by: pki.sm2Root.certificate))
    }

    @Test func trustAnchorWithoutBasicConstraintsMayIssue() throws {
        // Some old roots carry no basicConstraints; a configured anchor is trusted as is (RFC 5280 §6.1).
        let rootKey = try PrivateKey.generate(.sm2)
        var rootBuilder = CertificateBuilder(
            subject: try .build(commonName: "旧根证书", country: "CN"), publicKey: rootKey.publicKey,
            notBefore: Date().addingTimeInterval(-60), notAfter: Date().addingTimeInterval(86_400))
        rootBuilder.keyUsage = []
        let root = try rootBuilder.sign(issuer: nil, signer: try SoftwareSigner(key: rootKey))
        #expect(!root.isCA)
        let leafKey = try PrivateKey.generate(.sm2)
        let leaf = try CertificateBuilder(
            subject: try .build(commonName: "签章人"), publicKey: leafKey.publicKey,
            notBefore: Date().addingTimeInterval(-60), notAfter: Date().addingTimeInterval(86_400)
        ).sign(issuer: root, signer: try SoftwareSigner(key: rootKey))
        #expect(TrustStore(roots: [root]).validate(leaf, at: Date()).isValid)
        // The same certificate as an intermediate under a real root is not allowed to issue.
        #expect(!TrustStore(roots: [pki.sm2Root.certificate], intermediates: [root]).validate(leaf, at: Date()).isValid)
    }

    @Test func leafCannotIssue() throws {
        let key = try PrivateKey.generate(.ecdsaP256)
        let builder = CertificateBuilder(
            subject: try .build(commonName: "issued by a leaf"), publicKey: key.publicKey,
            notBefore: Date().addingTimeInterval(-60), notAfter: Date().addingTimeInterval(86_400))
        let child = try builder.sign(issuer: pki.rsaSigner.certificate, signer: try pki.rsaSigner.signer())
        let result = pki.trustStore.validate(child, intermediates: [pki.rsaSigner.certificate], at: Date())
        #expect(result.failures.contains { if case .issuerNotCA = $0 { return true } else { return false } })
    }

    @Test func revocationByOfflineCRL() throws {
        let now = Date()
        let revokedAt = now.addingTimeInterval(-3600)
        let crl = try CertificateRevocationList.build(
            issuer: pki.sm2Root.certificate, signer: try pki.sm2Root.signer(),
            revoked: [.init(revoking: pki.sealMaker.certificate, at: revokedAt)],
            thisUpdate: now.addingTimeInterval(-60), nextUpdate: now.addingTimeInterval(7 * 86_400))
        #expect(crl.isSignatureValid(issuerKey: pki.sm2Root.certificate.publicKey))
        #expect(try CertificateRevocationList(pem: crl.pemRepresentation) == crl)
        var store = pki.trustStore
        store.crls = [crl]
        let revoked = store.validate(pki.sealMaker.certificate, at: now)
        #expect(revoked.failures.contains { if case .revoked = $0 { return true } else { return false } })
        // Before the revocation date the certificate was fine (validation at a past time).
        #expect(store.validate(pki.sealMaker.certificate, at: revokedAt.addingTimeInterval(-60)).isValid)
        #expect(store.validate(pki.sm2Signer.certificate, at: now).isValid)

        // A CRL signed by the wrong key is reported, not trusted.
        let forged = try CertificateRevocationList.build(
            issuer: pki.sm2Root.certificate, signer: try pki.sealMaker.signer(),
            revoked: [.init(revoking: pki.sm2Signer.certificate, at: revokedAt)],
            thisUpdate: now, nextUpdate: now.addingTimeInterval(86_400))
        store.crls = [forged]
        let withForged = store.validate(pki.sm2Signer.certificate, at: now)
        #expect(withForged.failures == [.crlSignatureInvalid(issuer: pki.sm2Root.certificate.subject)])
    }

    @Test(.peerExecutable("openssl")) func crlAcceptedByOpenSSL() throws {
        guard let cli = try OpenSSLCLI.available() else { return }
        defer { cli.cleanUp() }
        let now = Date()
        let crl = try CertificateRevocationList.build(
            issuer: pki.rsaRoot.certificate, signer: try pki.rsaRoot.signer(),
            revoked: [.init(revoking: pki.rsaSigner.certificate, at: now.addingTimeInterval(-60))],
            thisUpdate: now.addingTimeInterval(-120), nextUpdate: now.addingTimeInterval(86_400))
        try cli.write("crl.pem", crl.pemRepresentation)
        try cli.write("root.pem", pki.rsaRoot.certificate.pemRepresentation)
        try cli.write("leaf.pem", pki.rsaSigner.certificate.pemRepresentation)
        let result = try cli.run(["verify", "-crl_check", "-CAfile", "root.pem", "-CRLfile", "crl.pem", "leaf.pem"])
        #expect(result.status != 0 && result.output.contains("revoked"), "\(result.output)")
    }
}
