import Foundation

/// A complete demo PKI in memory: SM2 and RSA roots, a seal maker (制章者), SM2 / RSA / ECDSA signers and
/// time-stamping authorities. Tests in every target and `sealpress keys demo-pki` build one.
public struct DemoPKI: Sendable {
    /// A key with its certificate and the chain above it (excluding the root).
    public struct Identity: Sendable {
        public let key: PrivateKey
        public let certificate: Certificate
        /// Intermediates between the certificate and its root (empty for the demo, which has no intermediates).
        public let chain: [Certificate]
        /// The root that issued it (itself for a root).
        public let root: Certificate

        /// A signer for this identity with the key's default scheme.
        public func signer() throws(CryptoError) -> SoftwareSigner {
            try SoftwareSigner(key: key, certificate: certificate, chain: chain)
        }
    }

    /// When the PKI was made; certificates are valid from one day before to several years after.
    public let createdAt: Date
    public let sm2Root: Identity
    public let rsaRoot: Identity
    /// The seal maker (制章者), SM2, who signs electronic seals.
    public let sealMaker: Identity
    /// An SM2 signer (签章人) of a government unit.
    public let sm2Signer: Identity
    public let rsaSigner: Identity
    public let ecdsaSigner: Identity
    /// An RSA time-stamping authority (critical EKU timeStamping), under the RSA root.
    public let tsa: Identity
    /// An SM2 time-stamping authority, under the SM2 root.
    public let sm2TSA: Identity

    /// A trust store with both roots.
    public var trustStore: TrustStore { TrustStore(roots: [sm2Root.certificate, rsaRoot.certificate]) }

    /// Makes fresh keys and certificates valid at `date` (from a day before to 2–10 years after).
    public static func make(at date: Date = Date()) throws -> DemoPKI {
        let day: TimeInterval = 86_400
        let start = date.addingTimeInterval(-day)
        let rootEnd = date.addingTimeInterval(3650 * day)
        let leafEnd = date.addingTimeInterval(730 * day)

        func root(_ generation: KeyGenerationAlgorithm, _ name: DistinguishedName) throws -> Identity {
            let key = try PrivateKey.generate(generation)
            var builder = CertificateBuilder(subject: name, publicKey: key.publicKey, notBefore: start, notAfter: rootEnd)
            builder.makeCA()
            let certificate = try builder.sign(issuer: nil, signer: try SoftwareSigner(key: key))
            return Identity(key: key, certificate: certificate, chain: [], root: certificate)
        }
        func leaf(
            _ generation: KeyGenerationAlgorithm, _ name: DistinguishedName, under issuer: Identity,
            tsa: Bool = false
        ) throws -> Identity {
            let key = try PrivateKey.generate(generation)
            var builder = CertificateBuilder(subject: name, publicKey: key.publicKey, notBefore: start, notAfter: leafEnd)
            if tsa { builder.makeTimeStampingAuthority() }
            let certificate = try builder.sign(issuer: issuer.certificate, signer: try issuer.signer())
            return Identity(key: key, certificate: certificate, chain: [], root: issuer.certificate)
        }

        let sm2Root = try root(.sm2, .build(commonName: "SealPress Demo SM2 Root CA", organization: "SealPress 演示", country: "CN"))
        let rsaRoot = try root(.rsa(bits: 2048), .build(commonName: "SealPress Demo RSA Root CA", organization: "SealPress Demo", country: "CN"))
        return DemoPKI(
            createdAt: date,
            sm2Root: sm2Root,
            rsaRoot: rsaRoot,
            sealMaker: try leaf(.sm2, .build(commonName: "某某省电子印章制章中心", organization: "某某省数字证书认证中心", country: "CN"), under: sm2Root),
            sm2Signer: try leaf(.sm2, .build(commonName: "某某市市场监督管理局", organization: "某某市市场监督管理局", organizationalUnit: "电子印章", country: "CN"), under: sm2Root),
            rsaSigner: try leaf(.rsa(bits: 2048), .build(commonName: "某某市税务局 (RSA)", organization: "某某市税务局", country: "CN"), under: rsaRoot),
            ecdsaSigner: try leaf(.ecdsaP256, .build(commonName: "某某市海关 (ECDSA)", organization: "某某市海关", country: "CN"), under: rsaRoot),
            tsa: try leaf(.rsa(bits: 2048), .build(commonName: "SealPress Demo TSA", organization: "SealPress Demo", country: "CN"), under: rsaRoot, tsa: true),
            sm2TSA: try leaf(.sm2, .build(commonName: "SealPress 演示时间戳服务", organization: "SealPress 演示", country: "CN"), under: sm2Root, tsa: true)
        )
    }

    /// Every identity with a file-name stem, for writing to disk.
    public var namedIdentities: [(name: String, identity: Identity)] {
        [
            ("sm2-root", sm2Root), ("rsa-root", rsaRoot), ("seal-maker", sealMaker), ("sm2-signer", sm2Signer),
            ("rsa-signer", rsaSigner), ("ecdsa-signer", ecdsaSigner), ("tsa", tsa), ("sm2-tsa", sm2TSA),
        ]
    }

    /// The PKCS#12 password `write(to:keyPassword:)` uses when no key password is given.
    public static let defaultPKCS12Password = "sealpress-demo"

    /// Writes `<name>.cert.pem`, `<name>.key.pem` and `<name>.p12` (key + certificate + root) for every identity,
    /// plus `roots.pem` and `README.txt`. Keys are encrypted PKCS#8 when `keyPassword` is given; the `.p12`
    /// files use `keyPassword` or ``defaultPKCS12Password``. Returns the file names written.
    @discardableResult
    public func write(to directory: URL, keyPassword: String? = nil) throws -> [String] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var files: [String] = []
        var readme = """
            SealPress demo PKI — FOR TESTING ONLY, never for real seals.
            Created \(ISO8601DateFormatter().string(from: createdAt)). SM2 certificates are signed SM2-with-SM3 with the
            distinguishing ID 1234567812345678 (check with: openssl verify -CAfile sm2-root.cert.pem \\
            -vfyopt distid:1234567812345678 sm2-signer.cert.pem).
            Private keys are PKCS#8 PEM\(keyPassword == nil ? " (unencrypted)" : " encrypted with AES-256-CBC (password given on the command line)").
            Each <name>.p12 holds key, certificate and root; its password is \(keyPassword == nil ? "\"\(Self.defaultPKCS12Password)\"" : "the one given on the command line").

            """
        for (name, identity) in namedIdentities {
            let certificateFile = "\(name).cert.pem"
            let keyFile = "\(name).key.pem"
            try Data(identity.certificate.pemRepresentation.utf8).write(to: directory.appendingPathComponent(certificateFile))
            let keyPEM = try identity.key.pem(password: keyPassword)
            try Data(keyPEM.utf8).write(to: directory.appendingPathComponent(keyFile))
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.appendingPathComponent(keyFile).path)
            let p12File = "\(name).p12"
            let p12 = try PKCS12Bundle.export(
                key: identity.key, certificate: identity.certificate,
                chain: identity.root == identity.certificate ? [] : [identity.root],
                password: keyPassword ?? Self.defaultPKCS12Password, friendlyName: name)
            try Data(p12).write(to: directory.appendingPathComponent(p12File))
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.appendingPathComponent(p12File).path)
            files += [certificateFile, keyFile, p12File]
            readme += "\(certificateFile.padding(toLength: 24, withPad: " ", startingAt: 0)) \(identity.key.algorithm)  \(identity.certificate.subject)\n"
            readme += "\(keyFile.padding(toLength: 24, withPad: " ", startingAt: 0)) its private key\n"
            readme += "\(p12File.padding(toLength: 24, withPad: " ", startingAt: 0)) key + certificate + root (PKCS#12)\n"
        }
        for (name, root) in [("sm2-root", sm2Root), ("rsa-root", rsaRoot)] {
            let crl = try CertificateRevocationList.build(
                issuer: root.certificate, signer: try root.signer(), revoked: [], thisUpdate: createdAt,
                nextUpdate: createdAt.addingTimeInterval(30 * 86_400))
            try Data(crl.pemRepresentation.utf8).write(to: directory.appendingPathComponent("\(name).crl.pem"))
            files.append("\(name).crl.pem")
            readme += "\("\(name).crl.pem".padding(toLength: 24, withPad: " ", startingAt: 0)) empty CRL of \(name), valid 30 days\n"
        }
        let roots = sm2Root.certificate.pemRepresentation + rsaRoot.certificate.pemRepresentation
        try Data(roots.utf8).write(to: directory.appendingPathComponent("roots.pem"))
        readme += "roots.pem                both root certificates (trust anchors)\n"
        files.append("roots.pem")
        try Data(readme.utf8).write(to: directory.appendingPathComponent("README.txt"))
        files.append("README.txt")
        return files
    }
}
