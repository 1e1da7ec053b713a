internal import CSealPKCS11
import Foundation
public import SealCrypto
import Synchronization

/// The process's PKCS#11 keys: one ``PKCS11Signer`` (with its session pool) per URI, so a module is loaded,
/// a token found and logged in to once per process, not per signature.
public enum PKCS11Keys {
    private static let signers = Mutex<[String: PKCS11Signer]>([:])
    private static let capacity = Mutex(8)
    /// Digests of (module, token, PIN) the token refused: never offered again by this process, so retries and
    /// later jobs cannot lock the token with a wrong PIN. A corrected PIN file is tried.
    private static let refusedPINs = Mutex<Set<[UInt8]>>([])

    /// Sessions each token's pool may hold open at once; the worker sets it to its concurrency before signing.
    public static var sessionsPerToken: Int {
        get { capacity.withLock { $0 } }
        set { capacity.withLock { $0 = max(1, newValue) } }
    }

    /// The signer for `uri`, resolved once per process: module loaded, token found, PIN read from its source,
    /// certificate read from the token (CKO_CERTIFICATE with the key's id, else its label) or from `cert-path=`,
    /// and a challenge signed with the key and verified with the certificate's public key — a key that does not
    /// belong to the certificate is refused here, before any document is signed.
    ///
    /// - Throws: ``PKCS11Error``; never with the PIN in it.
    public static func signer(
        for uri: PKCS11URI, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PKCS11Error) -> PKCS11Signer {
        if let cached = signers.withLock({ $0[uri.text] }) { return cached }
        var pin: [UInt8]?
        if let source = uri.pinSource { pin = try source.read(environment: environment) }
        let pinDigest = Digest.hash(
            .sha256, Array("\(uri.modulePath)\u{0}\(uri.token ?? "")\u{0}\(uri.serial ?? "")\u{0}".utf8) + (pin ?? []))
        if pin != nil, refusedPINs.withLock({ $0.contains(pinDigest) }) {
            throw PKCS11Error(
                .pinRefused, "the token refused this PIN before; correct the PIN file or variable named by pin-source")
        }
        let module = try PKCS11Module.shared(path: uri.modulePath)
        let pool = PKCS11SessionPool(module: module, uri: uri, pin: pin, capacity: sessionsPerToken)
        do {
            return try resolve(uri, pool: pool)
        } catch {
            if error.code == .pinRefused { _ = refusedPINs.withLock { $0.insert(pinDigest) } }
            throw error
        }
    }

    private static func resolve(_ uri: PKCS11URI, pool: PKCS11SessionPool) throws(PKCS11Error) -> PKCS11Signer {
        let certificates: [Certificate]
        if let path = uri.certificatePath {
            certificates = try readCertificates(path)
        } else {
            certificates = [try tokenCertificate(pool)]
        }
        guard let certificate = certificates.first else {
            throw PKCS11Error(.certificateUnavailable, "cert-path= names a file without certificates")
        }
        let keyAlgorithm = certificate.publicKey.algorithm
        guard let algorithm = uri.signatureAlgorithm ?? keyAlgorithm.defaultSignatureAlgorithm,
            algorithm.fits(keyAlgorithm)
        else {
            throw PKCS11Error(
                .unsupportedAlgorithm, "the certificate's \(keyAlgorithm) key cannot make \(uri.signatureAlgorithm.map { "\($0)" } ?? "signatures")")
        }
        let signer = PKCS11Signer(pool: pool, algorithm: algorithm, certificate: certificate, chain: Array(certificates.dropFirst()))
        try proveKeyMatchesCertificate(signer, certificate: certificate)
        return signers.withLock { signers in
            if let raced = signers[uri.text] { return raced }
            signers[uri.text] = signer
            return signer
        }
    }

    /// Forgets the process's signers (tests; a worker keeps them for its life).
    public static func forgetAll() { signers.withLock { $0.removeAll() } }

    // MARK: - Certificate and key check

    private static func proveKeyMatchesCertificate(_ signer: PKCS11Signer, certificate: Certificate) throws(PKCS11Error) {
        var generator = SystemRandomNumberGenerator()
        let challenge = Array("SealPress key check ".utf8) + (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let signature = try signer.signOnToken(challenge)
        guard certificate.publicKey.verify(signature: signature, for: challenge, algorithm: signer.algorithm) else {
            throw PKCS11Error(
                .keyNotInCertificate,
                "the token's key \(signer.pool.keyName) does not belong to the certificate \(certificate.subject): "
                    + "check id=/object= and the certificate on the token (or cert-path=)")
        }
    }

    /// The certificate stored next to the key: same CKA_ID when the URI has id=, else the same label.
    private static func tokenCertificate(_ pool: PKCS11SessionPool) throws(PKCS11Error) -> Certificate {
        let uri = pool.uri
        let der = try pool.withSession { (session, key) throws(PKCS11Error) -> [UInt8]? in
            var id = uri.id
            if id == nil { id = try session.attribute(CK.attributeID, of: key) }
            var templates: [[PKCS11Attribute]] = []
            if let id, !id.isEmpty {
                templates.append([PKCS11Attribute(CK.attributeClass, ulong: CK.classCertificate), PKCS11Attribute(CK.attributeID, bytes: id)])
            }
            if let label = uri.object {
                templates.append([
                    PKCS11Attribute(CK.attributeClass, ulong: CK.classCertificate),
                    PKCS11Attribute(CK.attributeLabel, bytes: Array(label.utf8)),
                ])
            }
            for template in templates {
                if let object = try session.find(template, limit: 1).first,
                    let value = try session.attribute(CK.attributeValue, of: object)
                {
                    return value
                }
            }
            return nil
        }
        guard let der else {
            throw PKCS11Error(
                .certificateUnavailable,
                "the token holds no certificate for the key \(pool.keyName): write it to the token with the key's id "
                    + "(pkcs11-tool --write-object cert.der --type cert --id …) or add cert-path= to the URI")
        }
        do {
            return try Certificate(der: der)
        } catch {
            throw PKCS11Error(.certificateUnavailable, "the certificate on the token cannot be read: \(error.code)")
        }
    }

    private static func readCertificates(_ path: String) throws(PKCS11Error) -> [Certificate] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PKCS11Error(.certificateUnavailable, "the certificate file \(path) (cert-path=) cannot be read")
        }
        let bytes = Array(data)
        do {
            if let text = String(bytes: bytes, encoding: .utf8), text.contains("-----BEGIN") {
                return try Certificate.certificates(pem: text)
            }
            return [try Certificate(der: bytes)]
        } catch {
            throw PKCS11Error(.certificateUnavailable, "the certificate file \(path) cannot be read: \(error.code)")
        }
    }
}
