import SwiftASN1

/// The signer certificates a seal admits (签章人证书列表).
///
/// ```asn1
/// -- GB/T 38540-2020
/// SES_CertList ::= CHOICE {
///     certs           CertInfoList,     -- certListType 1
///     certDigestList  CertDigestList    -- certListType 2
/// }
/// CertInfoList   ::= SEQUENCE OF Cert            -- Cert ::= OCTET STRING (DER X.509)
/// CertDigestList ::= SEQUENCE OF CertDigestObj
/// -- GM/T 0031-2014
/// certList SEQUENCE OF cert                      -- OCTET STRING; one vendor wrote certID IA5String entries
/// ```
///
/// Both CHOICE alternatives are SEQUENCEs, so the alternative is read from the elements, never from
/// `certListType` (BaiWang writes certListType 3 with a certificate list).
public enum SESCertList: Hashable, Sendable {
    /// DER X.509 certificates.
    case certificates([ArraySlice<UInt8>])
    /// Digests of certificates.
    case certificateDigests([SESCertDigest])
    /// GM/T 0031-2014 `certID ::= IA5String` entries: identifiers, not certificates (iOFD).
    case certificateIdentifiers([String])

    /// The `certListType` value GB/T 38540 assigns to this alternative (1 certificates, 2 digests).
    public var standardListType: Int {
        if case .certificateDigests = self { return 2 }
        return 1
    }

    /// The number of entries.
    public var count: Int {
        switch self {
        case .certificates(let list): list.count
        case .certificateDigests(let list): list.count
        case .certificateIdentifiers(let list): list.count
        }
    }

    init(decoding node: ASN1Node, _ field: String) throws {
        // A SET OF where the standard has SEQUENCE OF is read the same way.
        let elements = try LenientDER.children(node, field, identifier: node.identifier == .set ? .set : .sequence)
        if elements.allSatisfy({ $0.identifier == .octetString || LenientDER.looksLikeCertificate($0) }) {
            self = .certificates(try elements.map { try LenientDER.certificate($0, "\(field) entry") })
        } else if elements.allSatisfy({ $0.identifier == .sequence }) {
            self = .certificateDigests(try elements.map { try SESCertDigest(derEncoded: $0) })
        } else if elements.allSatisfy({ LenientDER.stringTags.contains($0.identifier) }) {
            self = .certificateIdentifiers(try elements.map { try LenientDER.string($0, "\(field) entry") })
        } else {
            throw ElectronicSealError.structure("\(field) mixes entry types")
        }
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            switch self {
            case .certificates(let list):
                for certificate in list { try coder.serialize(StrictDER.octets(certificate)) }
            case .certificateDigests(let list):
                for digest in list { try coder.serialize(digest) }
            case .certificateIdentifiers(let list):
                for identifier in list { try coder.serialize(StrictDER.ia5(identifier, "certID")) }
            }
        }
    }
}
