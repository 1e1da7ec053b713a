import SwiftASN1

/// The seal maker's signature over the seal (制章人对印章签名的信息).
///
/// ```asn1
/// -- GM/T 0031-2014: a SEQUENCE inside SESeal
/// SES_SignInfo ::= SEQUENCE {
///     cert                OCTET STRING,       -- 制章人签名证书 (DER X.509)
///     signatureAlgorithm  OBJECT IDENTIFIER,  -- 1.2.156.10197.1.501 for SM2 with SM3
///     signData            BIT STRING          -- over SEQUENCE{SES_SealInfo, cert, signatureAlgorithm}
/// }
/// -- GB/T 38540-2020 flattens the same three fields into SESeal (cert, signAlgID, signedValue);
/// -- the signature then covers SES_SealInfo only.
/// ```
public struct SESSignInfo: Hashable, Sendable, DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    /// The seal maker's certificate (DER X.509).
    public var certificate: ArraySlice<UInt8>
    public var signatureAlgorithm: ASN1ObjectIdentifier
    /// The maker's signature value as written (DER `SEQUENCE{r, s}`, or raw `r‖s` from some vendors).
    public var signature: SESBitString
    /// The `cert` and `signatureAlgorithm` elements exactly as read (tag, length, content): GM/T 0031-2014
    /// signs them, so the verifier needs the original bytes. Nil for a value built in memory.
    var certificateField: ArraySlice<UInt8>?
    var signatureAlgorithmField: ArraySlice<UInt8>?

    public init(certificate: some Sequence<UInt8>, signatureAlgorithm: ASN1ObjectIdentifier, signature: SESBitString) {
        self.certificate = ArraySlice(certificate)
        self.signatureAlgorithm = signatureAlgorithm
        self.signature = signature
        self.certificateField = nil
        self.signatureAlgorithmField = nil
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let fields = try LenientDER.children(node, "SES_SignInfo", identifier: identifier)
        guard fields.count == 3 else { throw ElectronicSealError.structure("SES_SignInfo has \(fields.count) fields, not 3") }
        try self.init(fields: fields[0], fields[1], fields[2], "SES_SignInfo")
    }

    /// Reads the three fields wherever they stand (inside SES_SignInfo for v1, flat in SESeal for v4).
    init(fields certificate: ASN1Node, _ algorithm: ASN1Node, _ signature: ASN1Node, _ owner: String) throws {
        self.certificate = try LenientDER.certificate(certificate, "\(owner).cert")
        self.signatureAlgorithm = try LenientDER.objectIdentifier(algorithm, "\(owner).signatureAlgorithm")
        self.signature = try SESBitString.reading(signature, "\(owner).signature")
        self.certificateField = certificate.encodedBytes
        self.signatureAlgorithmField = algorithm.encodedBytes
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try serializeFields(into: &coder)
        }
    }

    /// Writes `cert`, `signatureAlgorithm`, `signData` without a surrounding SEQUENCE (the v4 layout).
    func serializeFields(into coder: inout DER.Serializer) throws {
        try coder.serialize(StrictDER.octets(certificate))
        try coder.serialize(signatureAlgorithm)
        try coder.serialize(signature)
    }

    public static func == (lhs: SESSignInfo, rhs: SESSignInfo) -> Bool {
        lhs.certificate == rhs.certificate && lhs.signatureAlgorithm == rhs.signatureAlgorithm
            && lhs.signature == rhs.signature
    }

    public func hash(into hasher: inout Swift.Hasher) {
        hasher.combine(certificate)
        hasher.combine(signatureAlgorithm)
        hasher.combine(signature)
    }
}
