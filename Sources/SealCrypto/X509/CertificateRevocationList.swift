import Foundation
import SwiftASN1

/// An X.509 v2 CRL (RFC 5280 §5), for offline revocation checks.
public final class CertificateRevocationList: Hashable, Sendable, CustomStringConvertible {
    /// One revoked certificate.
    public struct Entry: Hashable, Sendable {
        /// Serial number, big-endian magnitude.
        public let serialNumber: [UInt8]
        public let revocationDate: Date
    }

    public let der: [UInt8]
    public let issuerName: DistinguishedName
    public let thisUpdate: Date
    public let nextUpdate: Date?
    public let entries: [Entry]
    public let signatureAlgorithm: SignatureAlgorithm?
    let tbsDER: [UInt8]
    let signatureValue: [UInt8]

    /// Parses a DER CRL.
    public init(der: [UInt8]) throws(CryptoError) {
        do {
            let root = try DERReading.parse(der)
            let outer = try DERReading.children(root)
            guard outer.count == 3 else { throw ASN1Error.invalidASN1Object(reason: "CertificateList") }
            let algorithm = try DERReading.children(outer[1])
            guard let oidNode = algorithm.first else { throw ASN1Error.invalidASN1Object(reason: "algorithm") }
            self.signatureAlgorithm = SignatureAlgorithm(oid: try DERReading.oid(oidNode))
            self.signatureValue = try DERReading.bitStringBytes(outer[2])
            self.tbsDER = Array(outer[0].encodedBytes)
            self.der = Array(root.encodedBytes)
            var fields = try DERReading.children(outer[0])[...]
            if fields.first?.identifier == .integer { fields = fields.dropFirst() }
            guard fields.count >= 3 else { throw ASN1Error.invalidASN1Object(reason: "TBSCertList too short") }
            fields = fields.dropFirst()  // signature AlgorithmIdentifier
            self.issuerName = try DistinguishedName.parse(fields.removeFirst())
            self.thisUpdate = try DERReading.time(fields.removeFirst())
            if let next = fields.first, next.identifier == .utcTime || next.identifier == .generalizedTime {
                self.nextUpdate = try DERReading.time(next)
                fields = fields.dropFirst()
            } else {
                self.nextUpdate = nil
            }
            var entries: [Entry] = []
            if let list = fields.first, list.identifier == .sequence {
                for entry in try DERReading.children(list) {
                    let parts = try DERReading.children(entry)
                    guard parts.count >= 2 else { throw ASN1Error.invalidASN1Object(reason: "revoked entry") }
                    var serial = try DERReading.integerBytes(parts[0])
                    while serial.count > 1, serial.first == 0 { serial.removeFirst() }
                    entries.append(Entry(serialNumber: serial, revocationDate: try DERReading.time(parts[1])))
                }
            }
            self.entries = entries
        } catch {
            throw CryptoError(.malformedCRL, "malformed CRL (\(error))")
        }
    }

    /// Parses a PEM `X509 CRL`.
    public convenience init(pem: String) throws(CryptoError) {
        try self.init(der: PEM.decode(pem, expecting: ["X509 CRL"]).der)
    }

    /// PEM `X509 CRL`.
    public var pemRepresentation: String { PEM.encode(label: "X509 CRL", der: der) }

    /// Checks the CRL's signature (SM2 with the standard ID).
    public func isSignatureValid(issuerKey: PublicKey) -> Bool {
        guard let signatureAlgorithm else { return false }
        return issuerKey.verify(signature: signatureValue, for: tbsDER, algorithm: signatureAlgorithm)
    }

    /// The entry revoking `certificate`, if any (serial match; the caller checks the issuer).
    public func entry(for certificate: Certificate) -> Entry? {
        entries.first { $0.serialNumber == certificate.serialNumber }
    }

    /// Builds and signs a CRL (for tests and the demo PKI).
    public static func build(
        issuer: Certificate, signer: any Signer, revoked: [Entry], thisUpdate: Date, nextUpdate: Date,
        crlNumber: Int = 1
    ) throws -> CertificateRevocationList {
        let algorithm = signer.algorithm
        let tbs = try DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { tbs in
                try tbs.serialize(1)
                tbs.serializeRawBytes(algorithm.algorithmIdentifierDER)
                tbs.serializeRawBytes(issuer.subjectName.der)
                try DERWriting.serializeTime(thisUpdate, into: &tbs)
                try DERWriting.serializeTime(nextUpdate, into: &tbs)
                if !revoked.isEmpty {
                    try tbs.appendConstructedNode(identifier: .sequence) { list in
                        for entry in revoked {
                            try list.appendConstructedNode(identifier: .sequence) { item in
                                try item.serialize(ArraySlice(entry.serialNumber))
                                try DERWriting.serializeTime(entry.revocationDate, into: &item)
                            }
                        }
                    }
                }
                try tbs.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { wrapper in
                    try wrapper.appendConstructedNode(identifier: .sequence) { extensions in
                        try CertificateBuilder.writeExtension(OIDs.cRLNumber, critical: false, into: &extensions) {
                            try $0.serialize(crlNumber)
                        }
                        if let keyID = issuer.subjectKeyIdentifier {
                            try CertificateBuilder.writeExtension(OIDs.authorityKeyIdentifier, critical: false, into: &extensions) { value in
                                value.appendConstructedNode(identifier: .sequence) { aki in
                                    aki.appendPrimitiveNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) {
                                        $0.append(contentsOf: keyID)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let signature = try signer.sign(tbs)
        let der = try DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { crl in
                crl.serializeRawBytes(tbs)
                crl.serializeRawBytes(algorithm.algorithmIdentifierDER)
                try crl.serialize(ASN1BitString(bytes: ArraySlice(signature)))
            }
        }
        return try CertificateRevocationList(der: der)
    }

    public static func == (lhs: CertificateRevocationList, rhs: CertificateRevocationList) -> Bool { lhs.der == rhs.der }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(der) }
    public var description: String { "CRL(issuer: \(issuerName), entries: \(entries.count))" }
}

extension CertificateRevocationList.Entry {
    /// An entry for a certificate revoked at `date`.
    public init(revoking certificate: Certificate, at date: Date) {
        self.init(serialNumber: certificate.serialNumber, revocationDate: date)
    }
}
