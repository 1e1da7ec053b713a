import SwiftASN1

/// ESS signing-certificate attributes (RFC 2634 v1 with SHA-1, RFC 5035 v2 with any hash).
enum ESSSigningCertificate {
    /// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }`,
    /// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, issuerSerial IssuerSerial }`.
    static func v2Value(for certificate: Certificate, digest: DigestAlgorithm) throws -> [UInt8] {
        try DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { signingCertificate in
                try signingCertificate.appendConstructedNode(identifier: .sequence) { certs in
                    try certs.appendConstructedNode(identifier: .sequence) { certID in
                        if digest != .sha256 {
                            try certID.appendConstructedNode(identifier: .sequence) { try $0.serialize(digest.oid) }
                        }
                        try certID.serialize(ASN1OctetString(contentBytes: ArraySlice(Digest.hash(digest, certificate.der))))
                        try certID.appendConstructedNode(identifier: .sequence) { issuerSerial in
                            issuerSerial.appendConstructedNode(identifier: .sequence) { generalNames in
                                // directoryName [4] EXPLICIT Name
                                generalNames.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 4, tagClass: .contextSpecific)) {
                                    $0.serializeRawBytes(certificate.issuerName.der)
                                }
                            }
                            try issuerSerial.serialize(ArraySlice(certificate.serialNumber))
                        }
                    }
                }
            }
        }
    }

    /// True when the first ESSCertID(v2) in the attribute value hashes to `certificate`.
    static func matches(valueDER: [UInt8], certificate: Certificate, isV2: Bool) -> Bool {
        guard let node = try? DERReading.parse(valueDER), let outer = try? DERReading.children(node),
            let certs = outer.first, let list = try? DERReading.children(certs), let first = list.first,
            let fields = try? DERReading.children(first), !fields.isEmpty
        else { return false }
        var digest: DigestAlgorithm = isV2 ? .sha256 : .sha1
        var index = 0
        if isV2, fields[0].identifier == .sequence {
            guard let algorithm = try? DERReading.children(fields[0]).first.flatMap({ try? DERReading.oid($0) }),
                let known = DigestAlgorithm(oid: algorithm)
            else { return false }
            digest = known
            index = 1
        }
        guard index < fields.count, let hash = try? DERReading.octets(fields[index]) else { return false }
        return hash == Digest.hash(digest, certificate.der)
    }
}
