import Foundation
public import SwiftASN1

/// Builds X.509 v3 certificates (test PKIs, the demo PKI, local TSAs).
///
/// The TBSCertificate is encoded here and signed through a ``Signer``, so SM2 certificates are signed
/// SM2-with-SM3 with the standard distinguishing ID, which `openssl verify`-with-distid and GM tools accept.
public struct CertificateBuilder: Sendable {
    public var subject: DistinguishedName
    public var publicKey: PublicKey
    public var notBefore: Date
    public var notAfter: Date
    /// Positive serial, big-endian; random 16 bytes by default.
    public var serialNumber: [UInt8]
    public var isCA: Bool
    public var pathLengthConstraint: Int?
    public var keyUsage: KeyUsage
    public var extendedKeyUsage: [ASN1ObjectIdentifier]
    public var isExtendedKeyUsageCritical: Bool

    /// A leaf certificate for signing (digitalSignature + nonRepudiation) unless changed.
    public init(subject: DistinguishedName, publicKey: PublicKey, notBefore: Date, notAfter: Date) {
        self.subject = subject
        self.publicKey = publicKey
        self.notBefore = notBefore
        self.notAfter = notAfter
        var serial = (0..<16).map { _ in UInt8.random(in: 0...255) }
        serial[0] = (serial[0] & 0x7f) | 0x01
        self.serialNumber = serial
        self.isCA = false
        self.pathLengthConstraint = nil
        self.keyUsage = [.digitalSignature, .nonRepudiation]
        self.extendedKeyUsage = []
        self.isExtendedKeyUsageCritical = false
    }

    /// Makes this a CA certificate (keyCertSign + cRLSign).
    public mutating func makeCA(pathLength: Int? = nil) {
        isCA = true
        pathLengthConstraint = pathLength
        keyUsage = [.keyCertSign, .cRLSign, .digitalSignature]
    }

    /// Makes this an RFC 3161 TSA certificate (critical extendedKeyUsage id-kp-timeStamping).
    public mutating func makeTimeStampingAuthority() {
        isCA = false
        keyUsage = [.digitalSignature, .nonRepudiation]
        extendedKeyUsage = [OIDs.timeStampingPurpose]
        isExtendedKeyUsageCritical = true
    }

    /// Signs the certificate. With `issuer == nil` the certificate is self-signed (`signer` must hold the key
    /// for ``publicKey``).
    public func sign(issuer: Certificate?, signer: any Signer) throws -> Certificate {
        let algorithm = signer.algorithm
        let issuerName = issuer?.subjectName ?? subject
        let authorityKeyID = issuer?.subjectKeyIdentifier ?? Self.keyIdentifier(publicKey)
        let tbs = try DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { tbs in
                try tbs.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { try $0.serialize(2) }
                try tbs.serialize(ArraySlice(serialNumber))
                tbs.serializeRawBytes(algorithm.algorithmIdentifierDER)
                tbs.serializeRawBytes(issuerName.der)
                try tbs.appendConstructedNode(identifier: .sequence) { validity in
                    try DERWriting.serializeTime(notBefore, into: &validity)
                    try DERWriting.serializeTime(notAfter, into: &validity)
                }
                tbs.serializeRawBytes(subject.der)
                tbs.serializeRawBytes(publicKey.spkiDER)
                try tbs.serialize(explicitlyTaggedWithTagNumber: 3, tagClass: .contextSpecific) { wrapper in
                    try wrapper.appendConstructedNode(identifier: .sequence) { extensions in
                        try writeExtensions(into: &extensions, authorityKeyID: authorityKeyID)
                    }
                }
            }
        }
        let signature = try signer.sign(tbs)
        let der = try DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { certificate in
                certificate.serializeRawBytes(tbs)
                certificate.serializeRawBytes(algorithm.algorithmIdentifierDER)
                try certificate.serialize(ASN1BitString(bytes: ArraySlice(signature)))
            }
        }
        return try Certificate(der: der)
    }

    private func writeExtensions(into coder: inout DER.Serializer, authorityKeyID: [UInt8]) throws {
        try Self.writeExtension(OIDs.basicConstraints, critical: true, into: &coder) { value in
            try value.appendConstructedNode(identifier: .sequence) { constraints in
                if isCA {
                    try constraints.serialize(true)
                    if let pathLengthConstraint { try constraints.serialize(pathLengthConstraint) }
                }
            }
        }
        if !keyUsage.isEmpty {
            try Self.writeExtension(OIDs.keyUsage, critical: true, into: &coder) { value in
                let encoded = keyUsage.bitStringEncoding
                try value.serialize(ASN1BitString(bytes: ArraySlice(encoded.bytes), paddingBits: encoded.unusedBits))
            }
        }
        if !extendedKeyUsage.isEmpty {
            try Self.writeExtension(OIDs.extendedKeyUsage, critical: isExtendedKeyUsageCritical, into: &coder) { value in
                try value.appendConstructedNode(identifier: .sequence) { list in
                    for purpose in extendedKeyUsage { try list.serialize(purpose) }
                }
            }
        }
        try Self.writeExtension(OIDs.subjectKeyIdentifier, critical: false, into: &coder) { value in
            try value.serialize(ASN1OctetString(contentBytes: ArraySlice(Self.keyIdentifier(publicKey))))
        }
        try Self.writeExtension(OIDs.authorityKeyIdentifier, critical: false, into: &coder) { value in
            value.appendConstructedNode(identifier: .sequence) { aki in
                aki.appendPrimitiveNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) {
                    $0.append(contentsOf: authorityKeyID)
                }
            }
        }
    }

    static func writeExtension(
        _ oid: ASN1ObjectIdentifier, critical: Bool, into coder: inout DER.Serializer,
        _ value: (inout DER.Serializer) throws -> Void
    ) throws {
        let inner = try DERWriting.build(value)
        try coder.appendConstructedNode(identifier: .sequence) { ext in
            try ext.serialize(oid)
            if critical { try ext.serialize(true) }
            try ext.serialize(ASN1OctetString(contentBytes: ArraySlice(inner)))
        }
    }

    /// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value.
    static func keyIdentifier(_ key: PublicKey) -> [UInt8] {
        let bits: [UInt8]
        if let node = try? DERReading.parse(key.spkiDER), let parts = try? DERReading.children(node), parts.count == 2,
            let value = try? DERReading.bitStringBytes(parts[1])
        {
            bits = value
        } else {
            bits = key.spkiDER
        }
        return Digest.hash(.sha1, bits)
    }
}
