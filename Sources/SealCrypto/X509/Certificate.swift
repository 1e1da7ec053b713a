import Foundation
public import SwiftASN1
import Synchronization

/// An X.509 v1–v3 certificate, parsed once; immutable.
///
/// Every field is decoded at init, so a `Certificate` is a plain value in a class box (cheap to share
/// across threads). Signature checks go through SealCrypto's own verify (SM2 with the right ID).
public final class Certificate: Hashable, Sendable, CustomStringConvertible {
    /// The exact DER bytes.
    public let der: [UInt8]
    /// Subject name with attributes.
    public let subjectName: DistinguishedName
    /// Issuer name with attributes.
    public let issuerName: DistinguishedName
    /// Serial number, big-endian magnitude as encoded (sign byte removed).
    public let serialNumber: [UInt8]
    public let notBefore: Date
    public let notAfter: Date
    public let publicKey: PublicKey
    /// keyUsage bits, or nil when the extension is absent.
    public let keyUsage: KeyUsage?
    /// extendedKeyUsage purposes (empty when absent).
    public let extendedKeyUsage: [ASN1ObjectIdentifier]
    /// True when extendedKeyUsage is present and marked critical.
    public let isExtendedKeyUsageCritical: Bool
    /// basicConstraints cA.
    public let isCA: Bool
    /// basicConstraints pathLenConstraint.
    public let pathLengthConstraint: Int?
    public let subjectKeyIdentifier: [UInt8]?
    public let authorityKeyIdentifier: [UInt8]?
    /// The outer signatureAlgorithm OID.
    public let signatureAlgorithmOID: ASN1ObjectIdentifier
    /// The outer signatureAlgorithm, when SealCrypto knows it.
    public let signatureAlgorithm: SignatureAlgorithm?
    /// X.509 version (1, 2 or 3).
    public let version: Int
    /// Extension OIDs marked critical that SealCrypto does not interpret.
    public let unhandledCriticalExtensions: [ASN1ObjectIdentifier]
    /// The URIs of cRLDistributionPoints (full names only; any scheme, the fetcher picks what it can reach).
    public let crlDistributionPoints: [String]
    /// The OCSP responder URIs of authorityInfoAccess.
    public let ocspResponders: [String]
    /// The caIssuers URIs of authorityInfoAccess.
    public let caIssuers: [String]
    /// True when the certificate carries id-pkix-ocsp-nocheck (a responder certificate not checked for revocation).
    public let hasOCSPNoCheck: Bool
    let tbsDER: [UInt8]
    let signatureValue: [UInt8]
    /// Issuer keys (SPKI DER + SM2 ID) whose signature over this certificate verified: the same bytes under the
    /// same key always give the same answer, so a chain seen again costs no second SM2/RSA verification.
    /// Failures are never remembered.
    private let verifiedIssuers = Mutex<[(spki: [UInt8], sm2ID: [UInt8])]>([])

    /// Parses a DER certificate.
    public init(der: [UInt8]) throws(CryptoError) {
        do {
            let root = try DERReading.parse(der)
            let outer = try DERReading.children(root)
            guard outer.count == 3 else { throw ASN1Error.invalidASN1Object(reason: "Certificate has 3 fields") }
            let tbs = try DERReading.children(outer[0])
            let algorithm = try DERReading.children(outer[1])
            guard let algorithmOIDNode = algorithm.first else { throw ASN1Error.invalidASN1Object(reason: "alg") }
            self.signatureAlgorithmOID = try DERReading.oid(algorithmOIDNode)
            self.signatureAlgorithm = SignatureAlgorithm(oid: signatureAlgorithmOID)
            self.signatureValue = try DERReading.bitStringBytes(outer[2])
            self.tbsDER = Array(outer[0].encodedBytes)
            self.der = Array(root.encodedBytes)

            var index = 0
            if let first = tbs.first, first.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                guard case .constructed(let inner) = first.content, let versionNode = Array(inner).first else {
                    throw ASN1Error.invalidASN1Object(reason: "version")
                }
                self.version = try DERReading.smallInteger(versionNode) + 1
                index = 1
            } else {
                self.version = 1
            }
            guard tbs.count >= index + 6 else { throw ASN1Error.invalidASN1Object(reason: "TBSCertificate too short") }
            var serial = try DERReading.integerBytes(tbs[index])
            while serial.count > 1, serial.first == 0 { serial.removeFirst() }
            self.serialNumber = serial
            self.issuerName = try DistinguishedName.parse(tbs[index + 2])
            let validity = try DERReading.children(tbs[index + 3])
            guard validity.count == 2 else { throw ASN1Error.invalidASN1Object(reason: "Validity") }
            self.notBefore = try DERReading.time(validity[0])
            self.notAfter = try DERReading.time(validity[1])
            self.subjectName = try DistinguishedName.parse(tbs[index + 4])
            self.publicKey = try PublicKey(spkiDER: Array(tbs[index + 5].encodedBytes))

            var extensions = CertificateExtensions()
            for node in tbs[(index + 6)...] where node.identifier == ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific) {
                guard case .constructed(let inner) = node.content, let list = Array(inner).first else {
                    throw ASN1Error.invalidASN1Object(reason: "extensions")
                }
                extensions = try CertificateExtensions(list)
            }
            self.keyUsage = extensions.keyUsage
            self.extendedKeyUsage = extensions.extendedKeyUsage
            self.isExtendedKeyUsageCritical = extensions.isExtendedKeyUsageCritical
            self.isCA = extensions.isCA
            self.pathLengthConstraint = extensions.pathLength
            self.subjectKeyIdentifier = extensions.subjectKeyIdentifier
            self.authorityKeyIdentifier = extensions.authorityKeyIdentifier
            self.unhandledCriticalExtensions = extensions.unhandledCritical
            self.crlDistributionPoints = extensions.crlDistributionPoints
            self.ocspResponders = extensions.ocspResponders
            self.caIssuers = extensions.caIssuers
            self.hasOCSPNoCheck = extensions.hasOCSPNoCheck
        } catch let error as CryptoError {
            throw CryptoError(.malformedCertificate, "certificate public key: \(error.reason)")
        } catch {
            throw CryptoError(.malformedCertificate, "malformed X.509 certificate (\(error))")
        }
    }

    /// Parses the first `CERTIFICATE` block of a PEM text.
    public convenience init(pem: String) throws(CryptoError) {
        try self.init(der: PEM.decode(pem, expecting: ["CERTIFICATE", "X509 CERTIFICATE"]).der)
    }

    /// Every certificate in a PEM text, in order.
    public static func certificates(pem: String) throws(CryptoError) -> [Certificate] {
        var result: [Certificate] = []
        for document in try PEM.documents(in: pem) where document.label == "CERTIFICATE" {
            result.append(try Certificate(der: document.der))
        }
        return result
    }

    /// Subject as an RFC 2253-style string (`CN=…,O=…,C=CN`), Chinese kept as UTF-8.
    public var subject: String { subjectName.description }
    /// Issuer as an RFC 2253-style string.
    public var issuer: String { issuerName.description }
    /// Serial number in uppercase hex.
    public var serialNumberHex: String { Hex.string(serialNumber, uppercase: true) }
    /// True for SM2 keys.
    public var isSM2: Bool { publicKey.isSM2 }
    /// SHA-256 over the DER.
    public var sha256Fingerprint: [UInt8] { Digest.hash(.sha256, der) }
    /// True when issuer and subject names are equal.
    public var isSelfIssued: Bool { issuerName.matches(subjectName) }
    /// True when extendedKeyUsage contains id-kp-timeStamping.
    public var allowsTimeStamping: Bool { extendedKeyUsage.contains(OIDs.timeStampingPurpose) }
    /// True when extendedKeyUsage contains id-kp-OCSPSigning.
    public var allowsOCSPSigning: Bool { extendedKeyUsage.contains(OIDs.ocspSigningPurpose) }
    /// True when the certificate names somewhere to ask for its revocation status.
    public var publishesRevocationInformation: Bool { !crlDistributionPoints.isEmpty || !ocspResponders.isEmpty }
    /// PEM `CERTIFICATE`.
    public var pemRepresentation: String { PEM.encode(label: "CERTIFICATE", der: der) }

    /// True when `date` lies within the validity period (inclusive).
    public func isValid(at date: Date) -> Bool { date >= notBefore && date <= notAfter }

    /// Checks this certificate's signature with the issuer's public key.
    ///
    /// SM2-with-SM3 uses the distinguishing ID `sm2ID` (default `1234567812345678`, as GM/T 0015 requires),
    /// not OpenSSL 3.0's empty default.
    public func isSignatureValid(issuerKey: PublicKey, sm2ID: [UInt8] = SM2.defaultDistinguishingID) -> Bool {
        guard let algorithm = signatureAlgorithm else { return false }
        let known = verifiedIssuers.withLock { list in
            list.contains { $0.spki == issuerKey.spkiDER && $0.sm2ID == sm2ID }
        }
        if known { return true }
        guard issuerKey.verify(signature: signatureValue, for: tbsDER, algorithm: algorithm, sm2ID: sm2ID) else {
            return false
        }
        verifiedIssuers.withLock { list in
            if list.count >= 8 { list.removeAll(keepingCapacity: true) }
            list.append((issuerKey.spkiDER, sm2ID))
        }
        return true
    }

    /// A parsed certificate for `der`, shared with earlier calls for the same bytes.
    ///
    /// Verifiers meet the same signer, seal-maker and CA certificates in document after document; parsing (and
    /// loading the key into OpenSSL) once per distinct certificate saves that work, and the shared instance
    /// remembers which issuer signatures over it verified (``isSignatureValid(issuerKey:sm2ID:)``). Validity
    /// periods, key usage and revocation are still checked by every validation. The cache is bounded (emptied
    /// when full); bytes that do not parse are never cached.
    public static func cached(der: some Collection<UInt8>) throws(CryptoError) -> Certificate {
        let bytes = Array(der)
        if let hit = parsedCertificates.withLock({ $0[bytes] }) { return hit }
        let certificate = try Certificate(der: bytes)
        parsedCertificates.withLock { cache in
            if cache.count >= 1024 { cache.removeAll(keepingCapacity: true) }
            cache[bytes] = certificate
        }
        return certificate
    }

    private static let parsedCertificates = Mutex<[[UInt8]: Certificate]>([:])

    /// True when `candidate` names this certificate's issuer and its key verifies this certificate's signature.
    public func isIssued(by candidate: Certificate) -> Bool {
        issuerName.matches(candidate.subjectName) && isSignatureValid(issuerKey: candidate.publicKey)
    }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.der == rhs.der }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(der) }
    public var description: String { "Certificate(subject: \(subject), serial: \(serialNumberHex))" }
}
