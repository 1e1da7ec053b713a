import SwiftASN1

/// A digest of a signer certificate, for seals that list digests instead of certificates (certListType 2).
///
/// ```asn1
/// CertDigestObj ::= SEQUENCE {
///     type   ObjType,            -- PrintableString, vendor-defined: usually the hash algorithm name ("SM3")
///     value  CertDigestValue     -- OCTET STRING: the digest of the signer certificate's DER
/// }
/// ```
public struct SESCertDigest: Hashable, Sendable, DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    /// The digest type as written (e.g. `"SM3"`, `"sha256"`, or an OID in dotted form).
    public var type: String
    public var value: ArraySlice<UInt8>

    public init(type: String, value: some Sequence<UInt8>) {
        self.type = type
        self.value = ArraySlice(value)
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let fields = try LenientDER.children(node, "CertDigestObj", identifier: identifier)
        guard fields.count == 2 else { throw ElectronicSealError.structure("CertDigestObj has \(fields.count) fields") }
        if fields[0].identifier == .objectIdentifier {
            self.type = try LenientDER.objectIdentifier(fields[0], "CertDigestObj.type").description
        } else {
            self.type = try LenientDER.string(fields[0], "CertDigestObj.type")
        }
        self.value = try LenientDER.octets(fields[1], "CertDigestObj.value")
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(StrictDER.printable(type, "CertDigestObj.type"))
            try coder.serialize(StrictDER.octets(value))
        }
    }
}
